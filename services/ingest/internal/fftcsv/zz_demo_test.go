package fftcsv_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestZZDemo(t *testing.T) {
	for _, f := range []string{
		"date,answer,text,practice\n2025-06-01,Brilliant,secret,hill-house\n2025-06-01,Good,\"one\ntwo\",nowhere\n2026-01-01,Good,x,hill-house\n2025-06-01,Good,a,b,hill-house\n",
		"date,answr,text,practice,Notes\n",
		"date,answer,text,practice\n",
	} {
		_, re, err := parse(t, f)
		for _, e := range re {
			fmt.Println(e)
		}
		fmt.Println("file error:", err)
		_ = strings.Contains
	}
}
