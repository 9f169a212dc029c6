// Command inboxadmin creates what the inbox needs to let people in: organisations (one that has a
// policy), people (administrators and managers) and personal API tokens.
//
//	inboxadmin organisation create SLUG
//	inboxadmin user create -organisation SLUG -email EMAIL [-role manager|administrator] [-generate]
//	    (the password is read from standard input, or generated and printed once with -generate)
//	inboxadmin token create -email EMAIL [-label TEXT]   (prints the token once)
//
// It uses DATABASE_URL (migrating it first) and POLICY_DIR, like every Signpost binary.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/signpost/signpost/services/inbox"
	"github.com/signpost/signpost/shared/boot"
	"github.com/signpost/signpost/shared/config"
	"github.com/signpost/signpost/shared/store"
)

func main() {
	boot.Main("inboxadmin", func(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
		return run(ctx, os.Args[1:], getenv, os.Stdin, stdout)
	})
}

const usage = `usage:
  inboxadmin organisation create SLUG
  inboxadmin user create -organisation SLUG -email EMAIL [-role manager|administrator] [-generate]
  inboxadmin token create -email EMAIL [-label TEXT]`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) < 2 || args[1] != "create" {
		return errors.New(usage)
	}
	env := config.New(getenv)
	s := boot.Read(env, "inboxadmin", "", "")
	if err := env.Err(); err != nil {
		return err
	}
	policies, err := s.Policies()
	if err != nil {
		return err
	}
	db, err := store.OpenWithPool(ctx, s.DatabaseURL, s.DatabaseWait, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := store.Migrate(ctx, db); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	switch args[0] {
	case "organisation", "org":
		if len(args) != 3 {
			return errors.New(usage)
		}
		if err := inbox.AddOrganisation(ctx, db, policies, args[2]); err != nil {
			return fmt.Errorf("organisation %s: %w", args[2], err)
		}
		fmt.Fprintf(stdout, "Organisation %s is recorded: add its people with `inboxadmin user create -organisation %s -email ...`.\n", args[2], args[2])
		return nil
	case "user":
		fs := flag.NewFlagSet("user create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		org := fs.String("organisation", "", "the organisation's slug")
		email := fs.String("email", "", "the person's email address, which they sign in with")
		role := fs.String("role", inbox.RoleManager, "manager, or administrator (also reads the audit log)")
		generate := fs.Bool("generate", false, "generate a password and print it once, instead of reading one from standard input")
		if err := fs.Parse(args[2:]); err != nil || *org == "" || *email == "" {
			return errors.New(usage)
		}
		password := ""
		if *generate {
			password = inbox.GeneratePassword()
		} else {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read the password from standard input: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
		}
		if err := inbox.AddUser(ctx, db, *org, *email, *role, password); err != nil {
			return fmt.Errorf("user: %w", err)
		}
		fmt.Fprintf(stdout, "Created %s (%s) in %s.\n", *email, *role, *org)
		if *generate {
			fmt.Fprintf(stdout, "Password (shown once, give it to them privately): %s\n", password)
		}
		return nil
	case "token":
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		email := fs.String("email", "", "the person the token acts for")
		label := fs.String("label", "", "what the token is for")
		if err := fs.Parse(args[2:]); err != nil || *email == "" {
			return errors.New(usage)
		}
		token, err := inbox.IssueAPIToken(ctx, db, *email, *label)
		if err != nil {
			return fmt.Errorf("token: %w", err)
		}
		fmt.Fprintln(stdout, token)
		return nil
	}
	return errors.New(usage)
}
