package policy

import (
	"embed"
	"io/fs"
)

//go:embed examples/*.json
var examples embed.FS

// Examples returns the shipped example policies (SPEC.md section 1): Charlton Medical Centre, and
// Trent Meadows Medical Practice with Stretton Medical Centre.
func Examples() fs.FS {
	sub, err := fs.Sub(examples, "examples")
	if err != nil {
		panic(err) // the directory is embedded at build time; it cannot be missing
	}
	return sub
}
