package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signpost/signpost/services/classifier"
	"github.com/signpost/signpost/shared/feedback"
	"github.com/signpost/signpost/shared/policy"
)

const corpusPath = "services/classifier/corpus/gp-feedback.jsonl"

// texts are the team corpus's texts: real-looking patient items of every length.
func texts() ([]string, error) {
	f, err := os.Open(corpusPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Text != "" {
			out = append(out, e.Text)
		}
	}
	return out, sc.Err()
}

// classifierAlone is the decision engine (text model, flag rules and models, policy) on every
// core, without I/O.
func classifierAlone() (row, error) {
	all, err := texts()
	if err != nil {
		return row{}, err
	}
	engine, err := classifier.NewEngine()
	if err != nil {
		return row{}, err
	}
	set, err := policy.Load(policy.Examples())
	if err != nil {
		return row{}, err
	}
	p, _ := set.ForPractice("trent-meadows-medical-practice")
	var done atomic.Int64
	deadline := time.Now().Add(3 * time.Second)
	start, cpu := time.Now(), measured{}.cpuTime()
	var wg sync.WaitGroup
	for w := range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				engine.Decide(p, feedback.Item{Practice: "trent-meadows-medical-practice", Channel: feedback.FacebookComment, Text: all[i%len(all)]})
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	took, each := time.Since(start), (measured{}.cpuTime()-cpu)/time.Duration(max(done.Load(), 1))
	return row{name: classifierName, perSec: float64(done.Load()) / took.Seconds(), cpu: each,
		note: fmt.Sprintf("(CPU %s a decision)", micro(each))}, nil
}

// classifierName is the classifier's row.
const classifierName = "(c) classifier alone (model, flags, policy; all cores)"
