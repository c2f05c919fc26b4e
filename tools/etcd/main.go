// etcd for the cluster suite: the server's own entry point (go.etcd.io/etcd/server/v3/etcdmain.Main, which
// server/main.go at v3.6.5 calls the same way), built from the module proxy by tools/build.sh.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
