// Package schemas holds the project's contracts as files: SQL migrations, JSON Schema for every
// event and for the policy file, and OpenAPI for the HTTP APIs. They are embedded so that every
// binary carries the exact contracts it was built with.
package schemas

import "embed"

// Migrations are goose SQL migrations, applied in file-name order.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// JSON holds the JSON Schemas: events/<type>.v<version>.json and policy.json.
//
//go:embed events/*.json policy.json
var JSON embed.FS

// OpenAPI holds the OpenAPI description of each HTTP API: openapi/<service>.json.
//
//go:embed openapi/*.json
var OpenAPI embed.FS
