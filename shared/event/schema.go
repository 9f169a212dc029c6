package event

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/signpost/signpost/schemas"
)

// schemaBase is the URL the embedded schemas are known by; their $ids are relative to it.
const schemaBase = "https://schemas.signpost.invalid/events/"

// Schemas validates events against the JSON Schemas in schemas/events.
type Schemas struct {
	byType map[string]*jsonschema.Schema
}

// LoadSchemas compiles the schema of every event type and version.
func LoadSchemas() (*Schemas, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	names, err := fs.Glob(schemas.JSON, "events/*.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		raw, err := fs.ReadFile(schemas.JSON, n)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		if err := c.AddResource(schemaBase+path.Base(n), doc); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
	}
	s := &Schemas{byType: map[string]*jsonschema.Schema{}}
	for typ, version := range map[string]int{Received: ReceivedVersion, Routed: RoutedVersion, Removed: RemovedVersion} {
		name := fmt.Sprintf("%s.v%d.json", typ, version)
		sch, err := c.Compile(schemaBase + name)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", name, err)
		}
		s.byType[typ] = sch
	}
	return s, nil
}

// Validate checks an encoded event against the schema of its type.
func (s *Schemas) Validate(typ string, data []byte) error {
	sch, ok := s.byType[typ]
	if !ok {
		return fmt.Errorf("no schema for event type %q", typ)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(doc)
}
