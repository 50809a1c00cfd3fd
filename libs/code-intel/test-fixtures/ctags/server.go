package server

import (
	"errors"
	"fmt"
	"net/http"
)

// Handler serves one route.
type Handler interface {
	Serve(w http.ResponseWriter, r *http.Request) error
	Name() string
}

// Server routes requests to handlers.
type Server struct {
	routes map[string]Handler
	addr   string
}

type Options struct {
	Addr    string
	Verbose bool
}

// NewServer builds a server.
func NewServer(opts Options) *Server {
	return &Server{routes: map[string]Handler{}, addr: opts.Addr}
}

func (s *Server) Handle(path string, h Handler) error {
	if _, ok := s.routes[path]; ok {
		return errors.New("duplicate route")
	}
	s.routes[path] = h
	return nil
}

func (s Server) Addr() string {
	return s.addr
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h, ok := s.routes[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := h.Serve(w, r); err != nil {
		fmt.Println(err)
	}
}

func Map[T any, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
