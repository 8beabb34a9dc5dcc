package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/reliefmesh/reliefmesh/desk"
)

// covenantRequest is the body of /v0/covenant: a new version of the
// network's covenant; the answer's Version is its number.
type covenantRequest struct {
	Title   string `json:"title"`
	Text    string `json:"text"`
	Version int    `json:"version"`
}

// writeCovenant publishes req as the network's new covenant version through
// dk (desk.Desk.WriteCovenant) and returns it with its number.
func writeCovenant(dk *desk.Desk, req covenantRequest) (covenantRequest, error) {
	c, err := dk.WriteCovenant(req.Title, req.Text)
	if err != nil {
		return req, err
	}
	req.Version = c.Current
	return req, nil
}

// handleCovenant serves POST /v0/covenant on the control socket.
func handleCovenant(mux *http.ServeMux, dk func() *desk.Desk, log *slog.Logger) {
	mux.HandleFunc("POST /v0/covenant", func(w http.ResponseWriter, r *http.Request) {
		var req covenantRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("covenant: bad request: %w", err))
			return
		}
		req, err := writeCovenant(dk(), req)
		if err != nil {
			writeError(w, httpStatusOf(err), cliError(err))
			return
		}
		log.Info("covenant version published through the control socket", "version", req.Version)
		writeJSON(w, req)
	})
}

func newCovenant(g *globals) *cobra.Command {
	var title, file string
	c := &cobra.Command{
		Use:   "covenant --file TEXT_FILE [--title TITLE]",
		Short: "Publish a new version of the network's covenant (伙伴契约: code of conduct and privacy pledge; coordinators only): every member is asked to accept it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := os.ReadFile(file)
			if err != nil {
				return g.speaker().errorf("covenant.read", err)
			}
			if !utf8.Valid(text) {
				return g.speaker().errorf("covenant.notutf8", file)
			}
			req := covenantRequest{Title: title, Text: string(text)}
			err = g.commandLean(cmd.Context(), "/v0/covenant", req, &req, func(dk *desk.Desk) (err error) {
				req, err = writeCovenant(dk, req)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), g.speaker().t("covenant.published", req.Version))
			return nil
		},
	}
	c.Flags().StringVar(&title, "title", "", "the version's title")
	c.Flags().StringVar(&file, "file", "", "a UTF-8 text file with the covenant's text")
	return c
}
