// Command kstatus prints the kstatus verdict (Flux's and kpt's health rules) for each object read from stdin.
// Input: a JSON object, or a JSON list (`kind: List` with items). Output: one JSON line per object.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	// The Kubernetes JSON decoder keeps integers as int64, as kstatus expects.
	decoded, err := runtime.Decode(unstructured.UnstructuredJSONScheme, raw)
	if err != nil {
		fail(fmt.Errorf("stdin is not a Kubernetes object or list: %w", err))
	}
	var objects []unstructured.Unstructured
	switch value := decoded.(type) {
	case *unstructured.UnstructuredList:
		objects = value.Items
	case *unstructured.Unstructured:
		objects = []unstructured.Unstructured{*value}
	default:
		fail(fmt.Errorf("unexpected %T", decoded))
	}
	out := json.NewEncoder(os.Stdout)
	for i := range objects {
		result, err := status.Compute(&objects[i])
		if err != nil {
			fail(fmt.Errorf("%s: %w", objects[i].GetName(), err))
		}
		if err := out.Encode(verdict{objects[i].GetName(), result.Status.String(), result.Message}); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kstatus:", err)
	os.Exit(1)
}
