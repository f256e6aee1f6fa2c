// Package cobra is a stub of github.com/spf13/cobra with the API the
// analyzers know.
package cobra

type Command struct {
	Use                string
	Run                func(cmd *Command, args []string)
	RunE               func(cmd *Command, args []string) error
	PreRunE            func(cmd *Command, args []string) error
	PersistentPreRunE  func(cmd *Command, args []string) error
	PersistentPostRunE func(cmd *Command, args []string) error
}

func (c *Command) Execute() error { return nil }

func (c *Command) AddCommand(cmds ...*Command) {}
