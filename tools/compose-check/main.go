// compose-check loads Compose files with the loader Docker Compose itself uses
// (github.com/compose-spec/compose-go/v2, the version docker compose v5.6.0 links), prints
// the normalized project as JSON on stdout, and fails on any error *or warning*: an unset
// variable, an obsolete attribute or a boolean YAML 1.2 does not know only warn in
// `docker compose config`, and exit 0.
//
//	compose-check [-env-file F]... [-project-name N] [-q] -f docker-compose.yml [-f override.yml]...
//
// The environment is only what the env files say, plus the process environment when
// -os-env is given: a check must not pass because a developer's shell happens to set a variable.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/sirupsen/logrus"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

// collect keeps every warning (and worse) the loader logs.
type collect struct{ messages []string }

func (c *collect) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (c *collect) Fire(e *logrus.Entry) error {
	c.messages = append(c.messages, e.Message)
	return nil
}

func main() {
	var files, envFiles list
	flag.Var(&files, "f", "a Compose file (repeatable, in order)")
	flag.Var(&envFiles, "env-file", "an env file for interpolation (repeatable)")
	name := flag.String("project-name", "dagwright", "the project name")
	osEnv := flag.Bool("os-env", false, "also interpolate from the process environment")
	quiet := flag.Bool("q", false, "print nothing on success")
	flag.Parse()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "compose-check: at least one -f FILE")
		os.Exit(2)
	}

	hook := &collect{}
	logrus.AddHook(hook)
	logrus.SetOutput(os.Stderr)

	opts := []cli.ProjectOptionsFn{cli.WithName(*name), cli.WithInterpolation(true), cli.WithResolvedPaths(true)}
	if *osEnv {
		opts = append(opts, cli.WithOsEnv)
	}
	if len(envFiles) > 0 {
		opts = append(opts, cli.WithEnvFiles(envFiles...), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	if len(hook.messages) > 0 {
		for _, m := range hook.messages {
			fmt.Fprintf(os.Stderr, "compose-check: warning: %s\n", m)
		}
		fmt.Fprintf(os.Stderr, "compose-check: %d warning(s): failing\n", len(hook.messages))
		os.Exit(1)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	if !*quiet {
		os.Stdout.Write(out)
		os.Stdout.WriteString("\n")
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
	os.Exit(1)
}
