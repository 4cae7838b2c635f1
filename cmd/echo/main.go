// Command echo is the suite's echo upstream (framework/echo) as a program of its own: the image
// the cluster environments run behind the gateway, so that the hold, status and record
// behaviours are the same there as on the local and kwok environments.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tracegate/tracegate/framework/echo"
)

func main() {
	addr := flag.String("addr", ":3000", "the address to serve on")
	flag.Parse()
	s, err := echo.Start(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
	fmt.Println("echo: serving on", s.Addr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	_ = s.Close()
}
