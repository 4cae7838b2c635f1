package config

import (
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/tracegate/tracegate/framework/config/internal/spec"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// checkLocal validates implementations.<name>.local.
func (r *resolver) checkLocal(base *field.Path, l *spec.Local, dir string) {
	if l == nil {
		return
	}
	base = base.Child("local")
	if len(l.Command) == 0 {
		r.Field(base.Child("command"), `required: a non-empty list such as [bin/gateway, --config, "{{.ConfigFile}}"]`)
	} else if l.Command[0] == "" {
		r.Field(base.Child("command").Index(0), "the program must not be empty")
	}
	for i, a := range l.Command {
		r.checkTemplate(base.Child("command").Index(i), a)
	}
	r.checkEnv(base.Child("env"), l.Env)
	for _, name := range slices.Sorted(maps.Keys(l.Variants)) {
		path := spec.Child(base.Child("variants"), name)
		if !variantName.MatchString(name) {
			r.Field(path, "%q is not allowed as a variant name; use letters, digits, '.', '_' and '-', such as sampling-zero", name)
		}
		r.checkEnv(path.Child("env"), l.Variants[name].Env)
		if v := l.Variants[name]; v.Unavailable != "" && len(v.Env) > 0 {
			r.Field(path, "has both unavailable and env: a variant the gateway cannot be configured as is never started; keep one of them")
		}
	}
	if l.ConfigTemplate != "" {
		path := absolute(dir, l.ConfigTemplate)
		text, err := os.ReadFile(path)
		switch {
		case os.IsNotExist(err):
			r.Field(base.Child("configTemplate"), "%s does not exist (a relative path is resolved against %s)", path, dir)
		case err != nil:
			r.Field(base.Child("configTemplate"), "%v", err)
		default:
			r.checkTemplate(base.Child("configTemplate"), string(text))
		}
	}
	if n := l.ConfigName; n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`+"\x00") {
		r.Field(base.Child("configName"), "%q is not allowed; use a file name without a directory, such as gateway.conf", n)
	}
	if !strings.HasPrefix(l.ReadyPath, "/") {
		r.Field(base.Child("readyPath"), "%q is not allowed; use an HTTP path starting with /, such as /ready", l.ReadyPath)
	}
}
