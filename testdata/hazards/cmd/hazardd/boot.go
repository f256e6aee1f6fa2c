package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// node is the machine hazardd manages.
type node struct{ id, image, hook string }

func (n *node) step(what string) error {
	if what == "" {
		return errors.New("nothing to do")
	}
	return nil
}

// bootNode is the post-mortem's coordination flag: NODE_BOOTING tells the
// other components that the node is booting. It is cleared by hand on
// every exception path but one; that one leaves every component believing
// the node is still booting.
func bootNode(n *node) error {
	os.Setenv("NODE_BOOTING", n.id)
	if err := n.step("fetch"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	if err := n.step("verify"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return fmt.Errorf("verify %s: %w", n.image, err)
	}
	if err := n.step("unpack"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	if err := n.step("network"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	if err := n.step("disks"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	if err := n.step("agent"); err != nil {
		return err // the path that forgot
	}
	if err := n.step("health"); err != nil {
		os.Unsetenv("NODE_BOOTING")
		return err
	}
	os.Unsetenv("NODE_BOOTING")
	return nil
}

// bootNodeFixed clears the flag on every path, panics included (silent).
func bootNodeFixed(n *node) error {
	os.Setenv("NODE_BOOTING", n.id)
	defer os.Unsetenv("NODE_BOOTING")
	if err := n.step("fetch"); err != nil {
		return err
	}
	return n.step("agent")
}

// runHook passes the node's state to its hook script through the process
// environment: every other goroutine, and every other child, sees it while
// the hook runs.
func runHook(n *node) error {
	os.Setenv("NODE_PHASE", "booting")
	defer os.Unsetenv("NODE_PHASE")
	cmd := exec.Command(n.hook)
	return cmd.Run()
}

// runHookFixed gives the variable to the hook alone (silent).
func runHookFixed(n *node) error {
	cmd := exec.Command(n.hook)
	cmd.Env = append(os.Environ(), "NODE_PHASE=booting")
	return cmd.Run()
}
