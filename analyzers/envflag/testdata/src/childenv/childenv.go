package childenv

import (
	"os"
	"os/exec"
)

func build() error {
	os.Setenv("GOOS", "linux") // want `os\.Setenv\("GOOS", …\) passes GOOS to the child process started by cmd\.Run, but sets it for the whole process: other goroutines and every other child see it too; set cmd\.Env instead`
	defer os.Unsetenv("GOOS")
	cmd := exec.Command("go", "build", "./...")
	return cmd.Run()
}

// No fix: the command is not in a variable whose Env could be set.
func chained() error {
	os.Setenv("GOFLAGS", "-mod=mod") // want `os\.Setenv\("GOFLAGS", …\) passes GOFLAGS to the child process started by exec\.Cmd\.Run, but sets it for the whole process: other goroutines and every other child see it too; set the command's Env instead`
	err := exec.Command("go", "list").Run()
	os.Unsetenv("GOFLAGS")
	return err
}

// Silent: the command has an environment of its own.
func ownEnv() error {
	os.Setenv("GOOS", "linux")
	defer os.Unsetenv("GOOS")
	cmd := exec.Command("go", "env")
	cmd.Env = []string{"GOOS=windows"}
	return cmd.Run()
}

// Silent: reset before the child starts.
func resetFirst() error {
	os.Setenv("GOOS", "linux")
	os.Unsetenv("GOOS")
	return exec.Command("go", "env").Run()
}

// Reported, no fix: the process reads the variable too.
func readsToo() error {
	os.Setenv("GOOS", "linux") // want `os\.Setenv\("GOOS", …\) passes GOOS`
	defer os.Unsetenv("GOOS")
	println(os.Getenv("GOOS"))
	return exec.Command("go", "env").Run()
}

// Reported, no fix: the value is not a constant.
func variable(goos string) error {
	os.Setenv("GOOS", goos) // want `os\.Setenv\("GOOS", …\) passes GOOS`
	defer os.Unsetenv("GOOS")
	cmd := exec.Command("go", "env")
	return cmd.Run()
}

// Reported once per variable; no fix, since one Env must carry both.
func twoVars() error {
	os.Setenv("GOOS", "linux")   // want `os\.Setenv\("GOOS", …\) passes GOOS`
	os.Setenv("GOARCH", "arm64") // want `os\.Setenv\("GOARCH", …\) passes GOARCH`
	cmd := exec.Command("go", "build")
	err := cmd.Run()
	os.Unsetenv("GOOS")
	os.Unsetenv("GOARCH")
	return err
}

// No fix: two children see it.
func twoChildren() error {
	os.Setenv("GOOS", "linux") // want `os\.Setenv\("GOOS", …\) passes GOOS to the child process started by vet\.Run`
	defer os.Unsetenv("GOOS")
	vet := exec.Command("go", "vet")
	if err := vet.Run(); err != nil {
		return err
	}
	build := exec.Command("go", "build")
	return build.Run()
}

func run(cmd *exec.Cmd) { cmd.Env = nil }

// No fix: the command is handed to a function that may set its Env.
func handedOn() error {
	os.Setenv("GOOS", "linux") // want `os\.Setenv\("GOOS", …\) passes GOOS`
	defer os.Unsetenv("GOOS")
	cmd := exec.Command("go", "build")
	run(cmd)
	return cmd.Run()
}

// Silent: the child starts on another goroutine, not on this function's
// paths.
func inGoroutine() {
	os.Setenv("GOOS", "linux")
	cmd := exec.Command("go", "build")
	go func() { cmd.Run() }()
}

// Silent: exec.Command looks the command up in PATH in this process; the
// variable is not only the child's.
func withPath(dir string) error {
	os.Setenv("PATH", dir+":"+os.Getenv("PATH"))
	cmd := exec.Command("redis-server")
	return cmd.Start()
}
