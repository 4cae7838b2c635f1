package config

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
)

// checkLocal validates implementations.<name>.local.
func (r *resolver) checkLocal(base string, l *spec.Local, dir string) {
	if l == nil {
		return
	}
	base += ".local"
	if len(l.Command) == 0 {
		r.Field(base+".command", `required: a non-empty list such as [bin/gateway, --config, "{{.ConfigFile}}"]`)
	} else if l.Command[0] == "" {
		r.Field(base+".command[0]", "the program must not be empty")
	}
	for i, a := range l.Command {
		r.checkTemplate(fmt.Sprintf("%s.command[%d]", base, i), a)
	}
	r.checkEnv(base+".env", l.Env)
	for _, name := range slices.Sorted(maps.Keys(l.Variants)) {
		path := spec.Join(base+".variants", name)
		if !variantName.MatchString(name) {
			r.Field(path, "%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero", name)
		}
		r.checkEnv(path+".env", l.Variants[name].Env)
	}
	if l.ConfigTemplate != "" {
		path := absolute(dir, l.ConfigTemplate)
		text, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			r.Field(base+".configTemplate", "%s does not exist (a relative path is resolved against %s)", path, dir)
		case err != nil:
			r.Field(base+".configTemplate", "%v", err)
		default:
			r.checkTemplate(base+".configTemplate", string(text))
		}
	}
	if n := l.ConfigName; n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`+"\x00") {
		r.Field(base+".configName", "%q is not allowed; use a file name without a directory, such as gateway.conf", n)
	}
	if !strings.HasPrefix(l.ReadyPath, "/") {
		r.Field(base+".readyPath", "%q is not allowed; use an HTTP path starting with /, such as /ready", l.ReadyPath)
	}
}
