// Command aegis runs an Aegis node: a PostgreSQL-compatible SQL database.
//
//	aegis start [--data-dir DIR] [--listen ADDR] [--in-memory]
//	aegis version
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // TimeZone settings must work on machines without tzdata

	"github.com/spf13/cobra"

	"github.com/aegisdb/aegis/server"
	"github.com/aegisdb/aegis/sql/funcs"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "aegis",
		Short:         "Aegis: a PostgreSQL-compatible distributed SQL database",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.AddCommand(startCmd(), versionCmd())
	return root
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "aegis %s (PostgreSQL %s compatible)\n", funcs.AegisVersion, funcs.ServerVersion)
		},
	}
}

func startCmd() *cobra.Command {
	var cfg server.Config
	var logLevel, pprofAddr string
	cmd := &cobra.Command{
		Use:   "start",
		Short: "Start a node (initialising the data directory if it is empty)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(logLevel)); err != nil {
				return fmt.Errorf("invalid --log-level: %w", err)
			}
			cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))
			ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			s, err := server.Start(ctx, cfg)
			if err != nil {
				return err
			}
			if pprofAddr != "" {
				// Go's profiling endpoints (/debug/pprof), for benchmarks.
				srv := &http.Server{Addr: pprofAddr, ReadHeaderTimeout: 5 * time.Second}
				go func() {
					if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
						cfg.Logger.Error("pprof server", "err", err)
					}
				}()
				defer srv.Close()
			}
			<-ctx.Done()
			cfg.Logger.Info("shutting down")
			return s.Stop()
		},
	}
	cmd.Flags().StringVar(&cfg.DataDir, "data-dir", "./aegis-data", "data directory")
	cmd.Flags().StringVar(&cfg.Listen, "listen", "127.0.0.1:5432", "PostgreSQL protocol listen address (loopback only for now)")
	cmd.Flags().BoolVar(&cfg.InMemory, "in-memory", false, "keep all data in memory (lost at exit)")
	cmd.Flags().StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn, error")
	cmd.Flags().StringVar(&pprofAddr, "pprof", "", "serve Go profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060")
	return cmd
}
