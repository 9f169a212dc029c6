package retention

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/signpost/signpost/shared/storetest"
)

// notText are the column types that cannot hold words; every other column (text, varchar,
// arrays, json, bytea, anything new) must be declared as patient content or not.
var notText = []string{"uuid", "timestamp with time zone", "timestamp without time zone", "date", "integer", "bigint",
	"smallint", "boolean", "double precision", "real", "numeric", "interval"}

// TestEveryTextColumnIsDeclaredPatientContentOrNot lists every column of every table in the
// migrated database and fails for one that could hold words and that tables.go does not place, so
// a new table or column (a migration added later) cannot escape the purge unnoticed.
func TestEveryTextColumnIsDeclaredPatientContentOrNot(t *testing.T) {
	db, _ := storetest.New(t)
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
		Type   string `db:"data_type"`
	}
	if err := db.Select(&cols, `
		SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'goose_db_version'
		ORDER BY c.table_name, c.ordinal_position`); err != nil {
		t.Fatal(err)
	}
	if len(cols) < 40 {
		t.Fatalf("only %d columns found: the check would prove little", len(cols))
	}
	declared := map[string]string{} // table.column -> where it is declared
	for _, tb := range patientContent {
		for col := range tb.blank {
			declared[tb.name+"."+col] = "patient content"
		}
	}
	for tb, list := range notPatientContent {
		for _, col := range list {
			if where, twice := declared[tb+"."+col]; twice {
				t.Errorf("%s.%s is declared both %s and not patient content", tb, col, where)
			}
			declared[tb+"."+col] = "not patient content"
		}
	}
	seen := map[string]bool{}
	var missing []string
	for _, c := range cols {
		name := c.Table + "." + c.Column
		seen[name] = true
		if slices.Contains(notText, c.Type) {
			if _, ok := declared[name]; ok {
				t.Errorf("%s is %s, which holds no words: remove it from tables.go", name, c.Type)
			}
			continue
		}
		if _, ok := declared[name]; !ok {
			missing = append(missing, name+" ("+c.Type+")")
		}
	}
	if len(missing) > 0 {
		t.Errorf("text columns that shared/retention/tables.go does not place; add each to patientContent (and say how "+
			"the purge blanks it; a new table also needs the column that holds the item id) or to notPatientContent "+
			"(and why):\n  %s", strings.Join(missing, "\n  "))
	}
	var stale []string
	for name := range declared {
		if !seen[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("tables.go declares columns the database does not have: %v", stale)
	}
	for _, tb := range patientContent {
		if !seen[tb.name+"."+tb.key] {
			t.Errorf("table %s has no column %s holding the item id", tb.name, tb.key)
		}
	}
}
