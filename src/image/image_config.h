// The image config JSON (OCI image config / Docker image JSON): the fields
// whittle reads from it into an Image — os/architecture/variant, created,
// history and rootfs.diff_ids. Everything else is ignored.
#ifndef WHITTLE_IMAGE_IMAGE_CONFIG_H_
#define WHITTLE_IMAGE_IMAGE_CONFIG_H_

#include <string>
#include <string_view>

#include "image/image.h"
#include "util/status.h"

namespace whittle {

/// Fills image->os, architecture, variant, created, history, diff_ids from
/// |text|. Errors (kCorrupt) name |where| and the field.
Status ParseImageConfig(std::string_view text, const std::string& where, Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_IMAGE_CONFIG_H_
