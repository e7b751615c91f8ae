package main

import (
	"fmt"
	"runtime/debug"
)

func init() {
	register(&command{path: "version", summary: "print the build's module version and Go version", run: runVersion})
}

func runVersion(cx *context, args []string) int {
	fs, c := newFlags(cx, "version")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	bi, ok := debug.ReadBuildInfo()
	v := map[string]string{"version": "(devel)", "go": "unknown"}
	if ok {
		v["version"], v["go"] = bi.Main.Version, bi.GoVersion
	}
	if c.jsonOut {
		if err := emitJSON(cx, v); err != nil {
			return exitUsage
		}
		return exitOK
	}
	fmt.Fprintf(cx.stdout, "rekamctl %s (%s)\n", v["version"], v["go"])
	return exitOK
}
