package model

import (
	"cmp"
	"math/bits"
	"slices"
)

// sortHashes sorts hashes, using spare (as long) as room: dealt by their top byte into 256
// ranges, each then sorted on its own, which takes far fewer comparisons than sorting them all
// at once.
func sortHashes(hashes, spare []uint64) []uint64 {
	if len(hashes) < 64 {
		slices.Sort(hashes)
		return hashes
	}
	var end [257]int32
	for _, h := range hashes {
		end[h>>56+1]++
	}
	for b := 1; b < len(end); b++ {
		end[b] += end[b-1]
	}
	next := end
	for _, h := range hashes {
		b := h >> 56
		spare[next[b]] = h
		next[b]++
	}
	for b := range 256 {
		part := spare[end[b]:end[b+1]]
		if len(part) > 12 {
			slices.Sort(part)
			continue
		}
		for i := 1; i < len(part); i++ {
			for j := i; j > 0 && part[j-1] > part[j]; j-- {
				part[j-1], part[j] = part[j], part[j-1]
			}
		}
	}
	return spare
}

// sortByBucket sorts features, given in ascending hash order, by bucket (one of buckets), into
// dst's room when it has enough.
// Buckets are spread evenly, so dealing the features by the top bits of their bucket into about
// as many ranges as there are features leaves one or two in each, which insertion sort puts in
// order. Where two features share a bucket, the comparison sort the models were trained with
// decides the order their values add up in, so then that sort is used, on the same input.
func sortByBucket(dst, feats []feature, buckets int, sc *scratch) []feature {
	k := bits.Len(uint(len(feats)))
	shift := max(bits.Len(uint(buckets-1))-k, 0)
	starts := sc.starts[:0]
	for range 1<<k + 1 {
		starts = append(starts, 0)
	}
	sc.starts = starts
	for _, f := range feats {
		starts[f.Bucket>>shift+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	sorted := resize(dst, len(feats))
	for _, f := range feats {
		r := f.Bucket >> shift
		sorted[starts[r]] = f
		starts[r]++
	}
	for i := 1; i < len(sorted); i++ {
		f := sorted[i]
		j := i
		for j > 0 && sorted[j-1].Bucket > f.Bucket {
			sorted[j] = sorted[j-1]
			j--
		}
		if j > 0 && sorted[j-1].Bucket == f.Bucket {
			copy(sorted, feats)
			slices.SortFunc(sorted, func(a, b feature) int { return cmp.Compare(a.Bucket, b.Bucket) })
			return sorted
		}
		sorted[j] = f
	}
	return sorted
}
