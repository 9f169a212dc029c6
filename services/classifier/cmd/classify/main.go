// Command classify runs Signpost's classifier from the command line (SPEC.md section 8).
//
//	classify                  JSON lines {"id","practice","channel","text","rating"?} on stdin ->
//	                          one decision per line on stdout, with the shipped policies and model
//	classify cv -folds 10     cross-validate the model design on {"text","complaint"} lines
//	classify train            train the shipped model from the team's corpus (make model)
//	classify eval -folds 10   cross-validated figures of the whole decision on the team's corpus
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "classify:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return runClassify(ctx, stdin, stdout)
	}
	switch args[0] {
	case "cv":
		return runCV(args[1:], stdin, stdout)
	case "train":
		return runTrain(args[1:], stdout)
	case "eval":
		return runEval(args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q: use no argument (classify stdin), cv, train or eval", args[0])
}
