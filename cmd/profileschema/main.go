// Command profileschema writes the profile's JSON Schema and key reference (make schema), run
// from the repository's root.
package main

import (
	"fmt"
	"os"

	"github.com/tracegate/tracegate/cmd/internal/profileschema"
)

func main() {
	if err := profileschema.Write("."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
