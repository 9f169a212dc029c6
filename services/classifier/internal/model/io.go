package model

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
)

// FormatVersion is the version of the saved model format. Load refuses
// any other.
const FormatVersion = 1

// FeatureVersion names the tokeniser and feature extraction. It is saved
// with a model; Load refuses a model saved with another, because its
// weights would be read against different features.
const FeatureVersion = "tok1-fnv1a64"

const magic = "SIGNPOST-LINEAR-MODEL\n"

// Bounds on what Load accepts, so that a corrupt file cannot make it
// allocate without limit.
const maxBuckets, maxLabels, maxWeights = 1 << 24, 64, 1 << 26

// header is the JSON part of a saved model.
type header struct {
	FeatureVersion string      `json:"feature_version"`
	Labels         []string    `json:"labels"`
	Options        savedOpts   `json:"options"`
	Calibration    Calibration `json:"calibration"`
}

type savedOpts struct {
	Buckets          int     `json:"buckets"`
	WordNgrams       int     `json:"word_ngrams"`
	CharMin          int     `json:"char_min"`
	CharMax          int     `json:"char_max"`
	CharWeight       float64 `json:"char_weight"`
	Epochs           int     `json:"epochs"`
	LearningRate     float64 `json:"learning_rate"`
	L2               float64 `json:"l2"`
	Seed             int64   `json:"seed"`
	BalanceClasses   bool    `json:"balance_classes"`
	CalibrationFolds int     `json:"calibration_folds"`
}

// Save writes the model: gzip of a magic line, the format version, a JSON
// header (labels, options, calibration) and the non-zero weight rows as
// (delta-coded bucket, float32 per label).
func (m *Model) Save(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := m.writePayload(zw); err != nil {
		return err
	}
	return zw.Close()
}

func (m *Model) writePayload(w io.Writer) error {
	bw := bufio.NewWriter(w)
	o := m.opts
	h := header{
		FeatureVersion: FeatureVersion,
		Labels:         m.labels,
		Options: savedOpts{
			Buckets: o.Buckets, WordNgrams: o.WordNgrams, CharMin: o.CharMin, CharMax: o.CharMax,
			CharWeight: o.CharWeight, Epochs: o.Epochs, LearningRate: o.LearningRate, L2: o.L2,
			Seed: o.Seed, BalanceClasses: o.BalanceClasses, CalibrationFolds: o.CalibrationFolds,
		},
		Calibration: m.cal,
	}
	js, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw.WriteString(magic)
	var u32 [4]byte
	binary.LittleEndian.PutUint32(u32[:], FormatVersion)
	bw.Write(u32[:])
	binary.LittleEndian.PutUint32(u32[:], uint32(len(js)))
	bw.Write(u32[:])
	bw.Write(js)
	for _, b := range m.bias {
		binary.LittleEndian.PutUint32(u32[:], math.Float32bits(b))
		bw.Write(u32[:])
	}
	rows := 0
	for r := 0; r < o.Buckets; r++ {
		if !zeroRow(m.row(uint32(r))) {
			rows++
		}
	}
	binary.LittleEndian.PutUint32(u32[:], uint32(rows))
	bw.Write(u32[:])
	var vb [binary.MaxVarintLen64]byte
	prev := -1
	for r := 0; r < o.Buckets; r++ {
		row := m.row(uint32(r))
		if zeroRow(row) {
			continue
		}
		n := binary.PutUvarint(vb[:], uint64(r-prev))
		bw.Write(vb[:n])
		prev = r
		for _, v := range row {
			binary.LittleEndian.PutUint32(u32[:], math.Float32bits(v))
			bw.Write(u32[:])
		}
	}
	return bw.Flush()
}

func zeroRow(row []float32) bool {
	for _, v := range row {
		if v != 0 {
			return false
		}
	}
	return true
}

func (m *Model) computeVersion() {
	h := sha256.New()
	if err := m.writePayload(h); err != nil {
		panic(err) // hashes never fail to write
	}
	m.version = hex.EncodeToString(h.Sum(nil))[:12]
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("model: not a saved model: %w", err)
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	got := make([]byte, len(magic))
	if _, err := io.ReadFull(br, got); err != nil || !bytes.Equal(got, []byte(magic)) {
		return nil, errors.New("model: not a saved model (bad magic)")
	}
	var u32 [4]byte
	readU32 := func() (uint32, error) {
		if _, err := io.ReadFull(br, u32[:]); err != nil {
			return 0, fmt.Errorf("model: truncated model: %w", err)
		}
		return binary.LittleEndian.Uint32(u32[:]), nil
	}
	ver, err := readU32()
	if err != nil {
		return nil, err
	}
	if ver != FormatVersion {
		return nil, fmt.Errorf("model: format version %d, this build reads version %d", ver, FormatVersion)
	}
	n, err := readU32()
	if err != nil {
		return nil, err
	}
	if n > 1<<20 {
		return nil, errors.New("model: header too large")
	}
	js := make([]byte, n)
	if _, err := io.ReadFull(br, js); err != nil {
		return nil, fmt.Errorf("model: truncated model: %w", err)
	}
	var h header
	if err := json.Unmarshal(js, &h); err != nil {
		return nil, fmt.Errorf("model: bad header: %w", err)
	}
	if h.FeatureVersion != FeatureVersion {
		return nil, fmt.Errorf("model: saved with features %q, this build computes %q", h.FeatureVersion, FeatureVersion)
	}
	so := h.Options
	opts := Options{
		Buckets: so.Buckets, WordNgrams: so.WordNgrams, CharMin: so.CharMin, CharMax: so.CharMax,
		CharWeight: so.CharWeight, Epochs: so.Epochs, LearningRate: so.LearningRate, L2: so.L2,
		Seed: so.Seed, BalanceClasses: so.BalanceClasses, CalibrationFolds: so.CalibrationFolds,
		Labels: h.Labels,
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	L := len(h.Labels)
	if L < 2 || L > maxLabels || !sort.StringsAreSorted(h.Labels) {
		return nil, errors.New("model: bad label list")
	}
	if opts.Buckets > maxBuckets || opts.Buckets*L > maxWeights {
		return nil, errors.New("model: too many weights")
	}
	if len(h.Calibration.Offsets) != L || !(h.Calibration.Temperature > 0) {
		return nil, errors.New("model: bad calibration")
	}
	m := &Model{
		labels: h.Labels,
		opts:   opts,
		bias:   make([]float32, L),
		cal:    h.Calibration,
	}
	for k := range m.bias {
		v, err := readU32()
		if err != nil {
			return nil, err
		}
		m.bias[k] = math.Float32frombits(v)
	}
	rows, err := readU32()
	if err != nil {
		return nil, err
	}
	if int64(rows) > int64(opts.Buckets) {
		return nil, errors.New("model: too many weight rows")
	}
	m.w = newWeightTable(opts.Buckets, L, int(rows))
	row := -1
	for i := uint32(0); i < rows; i++ {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("model: truncated model: %w", err)
		}
		if d == 0 || d > uint64(opts.Buckets) || row+int(d) >= opts.Buckets {
			return nil, errors.New("model: bad weight row index")
		}
		row += int(d)
		weights := m.w.setRow(uint32(row), int(i)+1, L)
		for k := range weights {
			v, err := readU32()
			if err != nil {
				return nil, err
			}
			weights[k] = math.Float32frombits(v)
		}
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errors.New("model: trailing data after weights")
	}
	m.computeVersion()
	return m, nil
}
