package otlp

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecodeJSONReadsWhatTheReceiverAccepts(t *testing.T) {
	got, err := DecodeJSON([]byte(exampleJSON))
	if err != nil {
		t.Fatal(err)
	}
	if want := exampleJSONSpans(); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%#v\nwant\n%#v", got, want)
	}
}

func TestDecodeJSONRejectsAMalformedTraceID(t *testing.T) {
	bad := strings.Replace(exampleJSON, "5B8EFFF798038103D269B633813FC60C", "5B8E", 1)
	if got, err := DecodeJSON([]byte(bad)); err == nil {
		t.Fatalf("a 2-byte trace id was accepted: %v", got)
	}
}
