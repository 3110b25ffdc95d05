// src/care/photo.hpp — what a photo a resident uploads must be, and how it is made fit to keep:
// JPEG or PNG by its bytes (never by its name), within a size in bytes and in pixels checked
// from the header before anything is decoded (a small file can claim 20000 × 20000 pixels), then
// decoded, turned upright by its EXIF orientation and encoded again as a JPEG that carries no
// metadata at all (no EXIF, no GPS position, no comment). Storing it is the store's. docs/care.md.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace madoguchi::care {

enum class ImageType { kJpeg, kPng };
std::string_view ImageTypeName(ImageType t);  // "jpeg", "png"

// From the file's signature. Errors: kInvalidArgument "not_a_photo" on `field` (a PDF, a HEIC,
// a text renamed .jpg).
Result<ImageType> SniffImageType(std::string_view bytes, std::string_view field = "photo");

struct ImageSize {
  int width = 0;
  int height = 0;
};
// From the header alone: PNG's IHDR, JPEG's first frame header (SOFn). Errors: kInvalidArgument
// "unreadable_photo" on `field` when the header is cut short or malformed.
Result<ImageSize> ReadImageSize(std::string_view bytes, ImageType type, std::string_view field = "photo");

struct PhotoLimits {
  size_t max_bytes = 15 * 1024 * 1024;  // 15 MB
  int64_t max_pixels = 50'000'000;      // 50 megapixels
};

// The checks made before decoding: type, bytes, pixels (as the header says). Errors:
// kInvalidArgument on `field`: "empty_photo", "not_a_photo", "photo_too_large" (bytes),
// "photo_too_many_pixels", "unreadable_photo".
Result<ImageSize> CheckPhoto(std::string_view bytes, const PhotoLimits& limits = {}, std::string_view field = "photo");

struct CleanedPhoto {
  std::string jpeg;                   // what is kept: upright, quality 90, no metadata
  cv::Mat bgr;                        // the decoded picture, upright, for the pre-read
  ImageType type = ImageType::kJpeg;  // what was uploaded
};
// CheckPhoto, then decoded (EXIF orientation applied) and encoded again. Errors: CheckPhoto's;
// kInvalidArgument "unreadable_photo" when the bytes do not decode, or decode to more pixels
// than the limit.
Result<CleanedPhoto> CleanPhoto(std::string_view bytes, const PhotoLimits& limits = {}, std::string_view field = "photo");

}  // namespace madoguchi::care
