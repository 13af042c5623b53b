package shopifysim

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/shopflow/shopflow/simulators/shopifysim/internal/gql"
)

// stagedUploadsCreate for media and files: Shopify hands out a target in
// its storage bucket (url, the form parameters to POST with the file, or
// a signed URL to PUT it to) and the resourceUrl the file will have,
// which productCreateMedia or fileCreate then take. The simulator's
// target is its own upload endpoint (/sim/staged-uploads/{shop}), so the
// upload works; the media are not modelled further. Each input is
// checked on its own: an invalid one gets a userError and an empty
// target in its place, the others their targets.

// stagedMimeTypes are the MIME types Shopify accepts per resource; a
// resource not listed takes any.
var stagedMimeTypes = map[string][]string{
	"IMAGE":            imageMimeTypes,
	"PRODUCT_IMAGE":    imageMimeTypes,
	"COLLECTION_IMAGE": imageMimeTypes,
	"SHOP_IMAGE":       imageMimeTypes,
	"VIDEO":            {"video/mp4", "video/quicktime", "video/webm", "video/x-m4v"},
	"MODEL_3D":         {"model/gltf-binary", "model/vnd.usdz+zip", "model/gltf+json"},
}

var imageMimeTypes = []string{"image/jpeg", "image/jpg", "image/png", "image/gif", "image/webp", "image/heic", "image/avif", "image/svg+xml"}

// stagedSizeRequired are the resources whose uploads must give fileSize.
var stagedSizeRequired = map[string]bool{"VIDEO": true, "MODEL_3D": true}

// stagedMediaTarget is the target for input i, a resource other than
// BULK_MUTATION_VARIABLES, or an empty target and the userErrors.
func stagedMediaTarget(ec *execCtx, i int, in map[string]any) (*gql.Object, []*gql.Object) {
	resource, mime := gql.ArgString(in, "resource"), strings.ToLower(gql.ArgString(in, "mimeType"))
	var errs []*gql.Object
	if allowed, ok := stagedMimeTypes[resource]; ok && !slices.Contains(allowed, mime) {
		errs = append(errs, userErr("UserError", []any{"input", i, "mimeType"}, "",
			fmt.Sprintf("%s is not a supported MIME type for %s", gql.ArgString(in, "mimeType"), resource)))
	}
	if _, given := in["fileSize"]; stagedSizeRequired[resource] && !given {
		errs = append(errs, userErr("UserError", []any{"input", i, "fileSize"}, "", "File size is required for "+resource))
	}
	if len(errs) > 0 {
		return gql.Obj("StagedMediaUploadTarget", map[string]any{"url": nil, "resourceUrl": nil, "parameters": []any{}}), errs
	}
	// Shopify keeps only the file name's last segment.
	name := path.Base(strings.TrimSuffix(gql.ArgString(in, "filename"), "/"))
	key := fmt.Sprintf("tmp/%d/%s/%d/%s", hashString(ec.sh.cfg.Domain)>>40, strings.ToLower(resource), ec.sh.id(), url.PathEscape(name))
	uploadURL := ec.baseURL + "/sim/staged-uploads/" + ec.sh.cfg.Domain
	param := func(name, value string) *gql.Object {
		return gql.Obj("StagedUploadParameter", map[string]any{"name": name, "value": value})
	}
	// A form POST target whatever httpMethod asks: the simulator's
	// endpoint takes multipart forms only.
	params := []any{param("Content-Type", mime), param("success_action_status", "201"), param("acl", "private"), param("key", key)}
	return gql.Obj("StagedMediaUploadTarget", map[string]any{
		"url": uploadURL, "resourceUrl": uploadURL + "/" + key, "parameters": params,
	}), nil
}
