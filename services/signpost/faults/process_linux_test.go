package faults

import (
	"os/exec"
	"syscall"
)

// dieWithTest makes the kernel kill the process if the test binary dies first (a timeout, an
// interrupted run), so that no service outlives its test.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
