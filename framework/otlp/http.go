package otlp

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

const tracesPath = "/v1/traces"

// encoding is an OTLP/HTTP payload encoding; responses use the request's.
type encoding int

const (
	encUnknown encoding = iota
	encProtobuf
	encJSON
)

func (e encoding) contentType() string {
	if e == encJSON {
		return "application/json"
	}
	return "application/x-protobuf"
}

func encodingOf(r *http.Request) encoding {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return encUnknown
	}
	switch mt {
	case "application/x-protobuf":
		return encProtobuf
	case "application/json":
		return encJSON
	}
	return encUnknown
}

type httpHandler struct{ r *Receiver }

func (h *httpHandler) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	enc := encodingOf(req)
	refuse := func(httpCode int, code codes.Code, msg string) {
		h.r.stats.refused.Add(1)
		writeError(w, enc, httpCode, code, msg)
	}
	switch {
	case req.URL.Path != tracesPath:
		refuse(http.StatusNotFound, codes.NotFound, fmt.Sprintf("no OTLP signal at %q; traces go to %s", req.URL.Path, tracesPath))
		return
	case req.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		refuse(http.StatusMethodNotAllowed, codes.Unimplemented, fmt.Sprintf("method %s not allowed; use POST", req.Method))
		return
	case enc == encUnknown:
		refuse(http.StatusUnsupportedMediaType, codes.InvalidArgument,
			fmt.Sprintf("unsupported Content-Type %q; use application/x-protobuf or application/json", req.Header.Get("Content-Type")))
		return
	}
	ce := strings.ToLower(strings.TrimSpace(req.Header.Get("Content-Encoding")))
	if ce != "" && ce != "identity" && ce != "gzip" {
		refuse(http.StatusUnsupportedMediaType, codes.InvalidArgument, fmt.Sprintf("unsupported Content-Encoding %q; use gzip or none", ce))
		return
	}

	if enc == encJSON {
		h.r.stats.httpJSON.Add(1)
	} else {
		h.r.stats.httpProto.Add(1)
	}
	malformed := func(httpCode int, msg string) {
		h.r.stats.malformed.Add(1)
		writeError(w, enc, httpCode, codes.InvalidArgument, msg)
	}

	body, err := readBody(w, req, ce == "gzip", h.r.maxBody)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			malformed(http.StatusRequestEntityTooLarge, err.Error())
		} else {
			malformed(http.StatusBadRequest, err.Error())
		}
		return
	}
	decode := decodeProtobuf
	if enc == encJSON {
		decode = decodeJSON
	}
	export, err := decode(body)
	if err != nil {
		malformed(http.StatusBadRequest, err.Error())
		return
	}
	writeMessage(w, enc, http.StatusOK, response(h.r.accept(FromProto(export.GetResourceSpans()))))
}

// readBody applies the size limit to both the wire bytes and the decompressed bytes, the
// latter so that a small gzip bomb is refused too.
func readBody(w http.ResponseWriter, req *http.Request, gzipped bool, limit int64) ([]byte, error) {
	var body io.Reader = http.MaxBytesReader(w, req.Body, limit)
	if gzipped {
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("invalid gzip body: %w", err)
		}
		defer zr.Close()
		body = zr
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if gzipped && !errors.As(err, &tooLarge) {
			return nil, fmt.Errorf("invalid gzip body: %w", err)
		}
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	return data, nil
}

// decodeProtobuf decodes a binary OTLP export request and validates its ids.
func decodeProtobuf(body []byte) (*coltracepb.ExportTraceServiceRequest, error) {
	req := &coltracepb.ExportTraceServiceRequest{}
	if err := proto.Unmarshal(body, req); err != nil {
		return nil, fmt.Errorf("invalid OTLP protobuf: %w", err)
	}
	if err := validate(req.ResourceSpans); err != nil {
		return nil, err
	}
	return req, nil
}

// writeError answers with a google.rpc.Status as OTLP/HTTP requires, falling back to plain
// text when the request's encoding is unknown.
func writeError(w http.ResponseWriter, enc encoding, httpCode int, code codes.Code, msg string) {
	if enc == encUnknown {
		http.Error(w, msg, httpCode)
		return
	}
	// proto3 strings must be UTF-8 or Marshal fails, and messages may quote client input.
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	writeMessage(w, enc, httpCode, &rpcstatus.Status{Code: int32(code), Message: msg})
}

func writeMessage(w http.ResponseWriter, enc encoding, httpCode int, m proto.Message) {
	var (
		data []byte
		err  error
	)
	if enc == encJSON {
		data, err = protojson.Marshal(m)
	} else {
		data, err = proto.Marshal(m)
	}
	if err != nil {
		http.Error(w, "encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", enc.contentType())
	w.WriteHeader(httpCode)
	w.Write(data)
}
