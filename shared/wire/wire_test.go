package wire_test

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/signpost/signpost/shared/wire"
)

// awkward strings: every escape encoding/json makes, and what lies next to them.
var awkward = []string{
	"", "plain", `"quoted" \ back\slash /`, "<b>&amp;</b>", "line\nbreak\r\ttab\b\f", "\x00\x01\x1f\x7f",
	"£ café – ‘smart’ “quotes” 👍🏽", "\u2028\u2029", "bad \xff utf-8 \xe2\x82", "\xc3", "a\u00e9\u2028b",
	"\xed\xa0\x80 surrogate bytes", "trailing \\",
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writes is what write writes with a new Writer, and whether it could.
func writes(write func(*wire.Writer)) ([]byte, bool) {
	w := wire.NewWriter(nil)
	write(w)
	return w.Bytes(), !w.Failed()
}

// written is what write writes with a new Writer.
func written(write func(*wire.Writer)) []byte {
	b, _ := writes(write)
	return b
}

func TestStringsAreWrittenAsEncodingJSONWritesThem(t *testing.T) {
	for _, s := range awkward {
		if got, want := written(func(w *wire.Writer) { w.String(s) }), marshal(t, s); !bytes.Equal(got, want) {
			t.Errorf("%q: wrote %s, encoding/json writes %s", s, got, want)
		}
	}
	for _, list := range [][]string{nil, {}, awkward} {
		if got, want := written(func(w *wire.Writer) { wire.WriteStrings(w, list) }), marshal(t, list); !bytes.Equal(got, want) {
			t.Errorf("%q: wrote %s, encoding/json writes %s", list, got, want)
		}
	}
}

func TestNumbersTimesAndIdsAreWrittenAsEncodingJSONWritesThem(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.123456789, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789e15,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-300} {
		got, ok := writes(func(w *wire.Writer) { w.Float(f) })
		if want := marshal(t, f); !ok || !bytes.Equal(got, want) {
			t.Errorf("%v: wrote %s (%v), encoding/json writes %s", f, got, ok, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, ok := writes(func(w *wire.Writer) { w.Float(f) }); ok {
			t.Errorf("%v has no JSON, yet was written", f)
		}
	}
	london, _ := time.LoadLocation("Europe/London")
	for _, tm := range []time.Time{time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), time.Date(2026, 7, 2, 9, 0, 0, 123456789, london),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", 23*3600+59*60))} {
		got, ok := writes(func(w *wire.Writer) { w.Time(tm) })
		if want := marshal(t, tm); !ok || !bytes.Equal(got, want) {
			t.Errorf("%v: wrote %s (%v), encoding/json writes %s", tm, got, ok, want)
		}
	}
	for _, tm := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))} {
		if _, err := json.Marshal(tm); err == nil {
			t.Fatalf("%v: encoding/json writes it after all", tm)
		}
		if _, ok := writes(func(w *wire.Writer) { w.Time(tm) }); ok {
			t.Errorf("%v has no JSON, yet was written", tm)
		}
	}
	id := uuid.New()
	if got, want := written(func(w *wire.Writer) { w.UUID(id) }), marshal(t, id); !bytes.Equal(got, want) {
		t.Errorf("wrote %s, encoding/json writes %s", got, want)
	}
	if got, want := written(func(w *wire.Writer) { w.Bool(true) }), marshal(t, true); !bytes.Equal(got, want) {
		t.Errorf("wrote %s, encoding/json writes %s", got, want)
	}
}

func FuzzStringsAreWrittenAsEncodingJSONWritesThem(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := written(func(w *wire.Writer) { w.String(s) }), marshal(t, s); !bytes.Equal(got, want) {
			t.Errorf("%q: wrote %s, encoding/json writes %s", s, got, want)
		}
	})
}

func FuzzFloatsAreWrittenAsEncodingJSONWritesThem(f *testing.F) {
	for _, v := range []float64{0, 0.5, 1e-7, 1e21, 0.9999999} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		got, ok := writes(func(w *wire.Writer) { w.Float(v) })
		want, err := json.Marshal(v)
		if ok != (err == nil) || ok && !bytes.Equal(got, want) {
			t.Errorf("%v: wrote %s (%v), encoding/json writes %s (%v)", v, got, ok, want, err)
		}
	})
}

// sample is a document of every kind of value the reader reads.
type sample struct {
	ID    uuid.UUID `json:"id"`
	Name  string    `json:"name"`
	List  []string  `json:"list"`
	Score float64   `json:"score"`
	Count int       `json:"count"`
	On    bool      `json:"on"`
	At    time.Time `json:"at"`
}

// read reads data as a sample with the reader, and reports whether it read it.
func read(data []byte) (sample, bool) {
	var s sample
	r := wire.NewReader(data)
	r.Object(func(key []byte) {
		switch string(key) {
		case "id":
			r.UUID(&s.ID)
		case "name":
			wire.String(r, &s.Name)
		case "list":
			wire.Strings(r, &s.List)
		case "score":
			r.Float(&s.Score)
		case "count":
			r.Int(&s.Count)
		case "on":
			r.Bool(&s.On)
		case "at":
			r.Time(&s.At)
		default:
			r.Unknown()
		}
	})
	r.End()
	return s, !r.Failed()
}

var documents = []string{
	`{"id":"5b0e8e7c-3a2f-4d0b-9c1e-7f6a2d9b4c10","name":"a\"b\\c\/d\b\f\n\r\t\u00e9\u2028 £","list":["x",""],"score":-0.5e-3,"count":7,"on":true,"at":"2026-11-02T09:00:00.5+01:00"}`,
	` { "list" : null , "on" : false , "count" : -0 , "score" : 0 } `,
	`{"list":[],"name":"","name":"twice"}`,
	`{}`,
	`{"count":1.0}`, `{"count":1e2}`, `{"count":99999999999999999999}`, `{"score":1e400}`, `{"score":01}`, `{"score":-}`, `{"score":.5}`,
	`{"name":"\ud83d\udc4d"}`, `{"name":"\ud83d"}`, `{"name":"bad \xff"}`, `{"name":"ctl ` + "\x01" + `"}`, `{"name":"\x"}`, `{"name":"\u12"}`,
	`{"Name":"case"}`, `{"other":1}`, `{"name":null}`, `{"on":null}`, `{"at":null}`, `{"id":null}`, `{"id":"nope"}`,
	`{"at":"2026-11-02"}`, `{"at":"2026-11-02T09:00:00\u005a"}`, `{"list":["a",]}`, `{"list":["a" "b"]}`, `{"on":truex}`,
	`{"name":"x",}`, `{"name":"x"} x`, `{"name":"x"`, `{"name" "x"}`, `{"n\u0061me":"x"}`, `[]`, ``, `null`,
	`{"list":["a",1]}`, `{"on":"true"}`, `{"count":"1"}`, `{"id":"{5b0e8e7c-3a2f-4d0b-9c1e-7f6a2d9b4c10}"}`,
}

// The reader's promise: where it reads a document, encoding/json reads it too, to the same values.
func TestTheReaderReadsWhatEncodingJSONReadsTheSameWay(t *testing.T) {
	readCount := 0
	for _, d := range documents {
		if checkAgainstEncodingJSON(t, []byte(d)) {
			readCount++
		}
	}
	if readCount < 4 {
		t.Errorf("the reader read only %d of the documents; it should read the first four at least", readCount)
	}
}

func checkAgainstEncodingJSON(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := read(data)
	if !ok {
		return false
	}
	var want sample
	if err := json.Unmarshal(data, &want); err != nil {
		t.Errorf("%s: the reader read it, encoding/json refuses it: %v", data, err)
		return true
	}
	if !reflect.DeepEqual(got, want) || !got.At.Equal(want.At) {
		t.Errorf("%s: the reader read %+v, encoding/json %+v", data, got, want)
	}
	return true
}

func FuzzTheReaderReadsWhatEncodingJSONReadsTheSameWay(f *testing.F) {
	for _, d := range documents {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkAgainstEncodingJSON(t, data) })
}
