package model

import (
	"fmt"
	"slices"
)

// weightTable holds a model's weights: for each of Buckets buckets, one weight per label. Only
// the buckets of features seen in training have weights, a few percent of them, so only their
// rows are stored: index gives each bucket's row, row 0 being all zeros for every bucket
// without weights. Rows of several models may be stored side by side, stride weights apart,
// this model's from offset (see ShareWeights), so that scoring one text with all of them reads
// each of its features' rows once.
type weightTable struct {
	index  []uint32 // per bucket, its row
	rows   []float32
	stride int // weights from one row to the next
	offset int // where this model's weights start in a row
}

// newWeightTable makes a table of zero weights with room for n rows besides the zero row.
func newWeightTable(buckets, labels, n int) weightTable {
	return weightTable{index: make([]uint32, buckets), rows: make([]float32, (n+1)*labels), stride: labels}
}

// row is bucket b's weights, one per label.
func (t *weightTable) row(b uint32, labels int) []float32 {
	i := int(t.index[b])*t.stride + t.offset
	return t.rows[i : i+labels : i+labels]
}

// setRow gives bucket b row r (1 <= r <= n) and returns it to be filled in.
func (t *weightTable) setRow(b uint32, r int, labels int) []float32 {
	t.index[b] = uint32(r)
	return t.row(b, labels)
}

// row is bucket b's weights, one per label.
func (m *Model) row(b uint32) []float32 { return m.w.row(b, len(m.labels)) }

// ShareWeights returns the models with their weights stored side by side in one table: each
// feature of a text then costs one memory access for all of them rather than one each. The
// models must have the same number of buckets; they answer exactly as before.
func ShareWeights(models ...*Model) ([]*Model, error) {
	if len(models) == 0 {
		return nil, nil
	}
	buckets := models[0].opts.Buckets
	stride := 0
	for _, m := range models {
		if m.opts.Buckets != buckets {
			return nil, fmt.Errorf("model: cannot share weights of models with %d and %d buckets", buckets, m.opts.Buckets)
		}
		stride += len(m.labels)
	}
	stride = (stride + 15) / 16 * 16 // rows of 64 bytes, one cache line each
	var used []uint32                // buckets with a row of their own in some model
	for b := range buckets {
		if slices.ContainsFunc(models, func(m *Model) bool { return m.w.index[b] != 0 }) {
			used = append(used, uint32(b))
		}
	}
	t := weightTable{index: make([]uint32, buckets), rows: make([]float32, (len(used)+1)*stride), stride: stride}
	for r, b := range used {
		t.index[b] = uint32(r + 1)
	}
	out := make([]*Model, len(models))
	offset := 0
	for i, m := range models {
		shared := *m
		shared.w = t
		shared.w.offset = offset
		for _, b := range used {
			copy(shared.row(b), m.row(b))
		}
		offset += len(m.labels)
		out[i] = &shared
	}
	return out, nil
}
