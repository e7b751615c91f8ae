package iris_test

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time used by the calling OS thread (the
// benchmark locks its goroutine to it), so a rate per core can be reported
// even when other processes share the machine.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
