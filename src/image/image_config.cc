#include "image/image_config.h"

#include "image/json_util.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

Status ParseImageConfig(std::string_view text, const std::string& where, Image* image) {
  ASSIGN_OR_RETURN(Json j, ParseJson(text, where));
  if (!j.is_object()) {
    return Error(Errc::kCorrupt, StrFormat("%s: expected a JSON object, got %s", where.c_str(),
                                           JsonTypeName(j)));
  }
  JsonFields f(j, where);
  RETURN_IF_ERROR(f.String("os", &image->os));
  RETURN_IF_ERROR(f.String("architecture", &image->architecture));
  RETURN_IF_ERROR(f.String("variant", &image->variant));
  RETURN_IF_ERROR(f.String("created", &image->created));

  const Json* rootfs = nullptr;
  RETURN_IF_ERROR(f.Object("rootfs", &rootfs));
  image->diff_ids.clear();
  if (rootfs) {
    JsonFields rf(*rootfs, where, "rootfs");
    const Json* ids = nullptr;
    RETURN_IF_ERROR(rf.Array("diff_ids", &ids));
    if (ids) {
      for (size_t i = 0; i < ids->size(); ++i) {
        const Json& id = (*ids)[i];
        if (!id.is_string() || !IsValidSha256Digest(id.get_ref<const std::string&>())) {
          return Error(Errc::kCorrupt,
                       StrFormat("%s: rootfs.diff_ids[%zu]: expected a sha256 digest string",
                                 where.c_str(), i));
        }
        image->diff_ids.push_back(id.get_ref<const std::string&>());
      }
    }
  }

  const Json* history = nullptr;
  RETURN_IF_ERROR(f.Array("history", &history));
  image->history.clear();
  if (history) {
    for (size_t i = 0; i < history->size(); ++i) {
      const Json& h = (*history)[i];
      std::string field = StrFormat("history[%zu]", i);
      if (!h.is_object()) {
        return Error(Errc::kCorrupt, StrFormat("%s: %s: expected an object, got %s",
                                               where.c_str(), field.c_str(), JsonTypeName(h)));
      }
      JsonFields hf(h, where, field);
      HistoryEntry e;
      RETURN_IF_ERROR(hf.String("created", &e.created));
      RETURN_IF_ERROR(hf.String("created_by", &e.created_by));
      RETURN_IF_ERROR(hf.String("author", &e.author));
      RETURN_IF_ERROR(hf.String("comment", &e.comment));
      RETURN_IF_ERROR(hf.Bool("empty_layer", &e.empty_layer));
      image->history.push_back(std::move(e));
    }
  }
  return Status::Ok();
}

}  // namespace whittle
