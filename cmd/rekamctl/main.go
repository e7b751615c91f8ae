// Command rekamctl is the Rekam recording station without a window: station
// set-up, master data, residents, devices, evaluations and benchmarks. It
// never imports Fyne, so it builds and runs without X or OpenGL.
//
// Every subcommand takes --data DIR (else $REKAM_HOME, else the XDG data
// folder) and --json (one JSON object per line on stdout). Exit status: 0 on
// success, 1 on a negative result (an invalid NIK, a broken audit chain, a
// failed check), 2 on usage or I/O errors.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK       = 0
	exitNegative = 1
	exitUsage    = 2
)

// command is one subcommand, addressed by one or more words ("eval finger").
type command struct {
	// path is the words that select the command, e.g. "audit verify".
	path string
	// summary is the one-line help shown by `rekamctl help`.
	summary string
	// run executes the command with the arguments after its path.
	run func(cx *context, args []string) int
}

var commands = map[string]*command{}

// register adds a subcommand; each subcommand file calls it from init.
func register(c *command) {
	if _, dup := commands[c.path]; dup {
		panic("rekamctl: command registered twice: " + c.path)
	}
	commands[c.path] = c
}

// context carries the process streams and environment to a subcommand, so
// tests can run commands in-process.
type context struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func main() {
	cx := &context{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(cx, os.Args[1:]))
}

// run finds the longest registered command path that prefixes args and runs it.
func run(cx *context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(cx.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for n := len(args); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c.run(cx, args[n:])
		}
	}
	fmt.Fprintf(cx.stderr, "rekamctl: unknown command %q (see `rekamctl help`)\n", strings.Join(args, " "))
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: rekamctl <command> [--data DIR] [--json] [args]")
	fmt.Fprintln(w, "\ncommands:")
	paths := make([]string, 0, len(commands))
	for p := range commands {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(w, "  %-28s %s\n", p, commands[p].summary)
	}
}
