package facebook

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// flexString is an id that Facebook may send as a JSON string or number. Anything else reads
// as empty; numbers keep their literal digits.
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	switch {
	case len(data) > 0 && data[0] == '"':
		var str string
		if err := json.Unmarshal(data, &str); err != nil {
			return err
		}
		*s = flexString(str)
	case len(data) > 0 && (data[0] == '-' || '0' <= data[0] && data[0] <= '9'):
		*s = flexString(data)
	default:
		*s = ""
	}
	return nil
}

// flexTime is a time Facebook sends as unix seconds, either a JSON number or a string of
// digits, or now and then as an ISO 8601 string. Anything unreadable or out of range reads as
// the zero time.
type flexTime time.Time

// maxUnix is the last second of year 9999.
const maxUnix = 253402300799

func (t *flexTime) UnmarshalJSON(data []byte) error {
	*t = flexTime{}
	text := string(data)
	if len(data) > 0 && data[0] == '"' {
		if err := json.Unmarshal(data, &text); err != nil {
			return err
		}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05-0700"} {
			if p, err := time.Parse(layout, text); err == nil {
				*t = flexTime(p.UTC())
				return nil
			}
		}
	}
	secs, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil || math.IsNaN(f) || f < 1 || f > maxUnix {
			return nil
		}
		secs = int64(f)
	}
	if secs >= 1 && secs <= maxUnix {
		*t = flexTime(time.Unix(secs, 0).UTC())
	}
	return nil
}

// describeJSONError says what is wrong with a body without quoting any of it.
func describeJSONError(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("not valid JSON (syntax error at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		kind, _, _ := strings.Cut(typ.Value, " ")
		if typ.Field == "" {
			return fmt.Sprintf("the body is a JSON %s, want an object", kind)
		}
		return fmt.Sprintf("%s is a JSON %s, want %s", typ.Field, kind, typ.Type)
	}
	return "not valid JSON"
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
