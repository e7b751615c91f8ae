package main

import (
	"syscall"
	"time"
)

// threadClockName says which clock the eval timings use.
const threadClockName = "thread CPU time"

const rusageThread = 1 // RUSAGE_THREAD

// threadClock measures CPU time consumed by the calling OS thread, so
// timings do not count time the scheduler gave to other processes. Callers
// lock the goroutine to its thread.
type threadClock struct{ start time.Duration }

func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startThreadClock() threadClock { return threadClock{threadCPU()} }

func (c threadClock) elapsed() time.Duration { return threadCPU() - c.start }
