// skopeo's dir: layout: `manifest.json` (the image manifest, or a manifest
// list whose instances are `<hex>.manifest.json`), blobs as `<hex>` files,
// and a `version` file. The top manifest has no digest to check against
// (nothing names it); configs and instance manifests are digest-checked.
#ifndef WHITTLE_IMAGE_DIR_LAYOUT_H_
#define WHITTLE_IMAGE_DIR_LAYOUT_H_

#include "image/image.h"
#include "image/layout_store.h"
#include "image/platform.h"
#include "util/status.h"

namespace whittle {

/// |store| must use BlobNaming::kDirHex. Fills every Image field except
/// reference, format, name and blobs.
Status ResolveDirLayout(LayoutStore& store, const Platform& want, Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_DIR_LAYOUT_H_
