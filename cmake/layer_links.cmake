# The layer rule on what is linked (tests/layer_rule.cmake checks what is included): an engine
# room links only other engine rooms, src/common and the computation libraries allowed here, never
# an I/O library or an edge room. Checked at configure time over each engine's link libraries,
# public and private, so a new dependency fails the build before anything compiles.
set(madoguchi_engine_rooms accounts queueing sim forecast planning booking messaging care ocr)
# OpenCV::Imaging: pixels in memory (care's kit pre-read); tests/layer_rule.cmake keeps its file
# functions (imread, imwrite) out of the engines.
set(madoguchi_engine_may_link madoguchi_common Threads::Threads PkgConfig::CBC OpenCV::Imaging)
foreach(room ${madoguchi_engine_rooms})
  list(APPEND madoguchi_engine_may_link madoguchi_${room})
endforeach()
foreach(room ${madoguchi_engine_rooms})
  if(NOT TARGET madoguchi_${room})
    continue()
  endif()
  get_target_property(linked madoguchi_${room} LINK_LIBRARIES)
  get_target_property(interface madoguchi_${room} INTERFACE_LINK_LIBRARIES)
  foreach(lib IN LISTS linked interface)
    if(lib MATCHES "NOTFOUND$" OR lib STREQUAL "")
      continue()
    endif()
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
    if(NOT lib IN_LIST madoguchi_engine_may_link)
      message(FATAL_ERROR "layer rule: the engine room madoguchi_${room} links ${lib}; engines do no I/O "
                          "(allowed: ${madoguchi_engine_may_link})")
    endif()
  endforeach()
endforeach()
