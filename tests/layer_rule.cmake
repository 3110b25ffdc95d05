# Fails when an engine room includes a header from an edge room or a vendor I/O library.
set(engines accounts queueing sim forecast planning booking care messaging ocr)
# Edge rooms, and every header through which this codebase does I/O: databases, HTTP (server and
# client), logging, JSON (the formats room's), files, sockets, processes and the OS's descriptors.
set(forbidden "store/" "web/" "channels/" "app/" "formats/" "sqlite3.h" "libpq-fe.h" "pqxx" "httplib.h" "microhttpd.h" "curl/"
    "nlohmann/" "spdlog/" "<fstream>" "<cstdio>" "<iostream>" "<filesystem>" "<fcntl.h>" "<unistd.h>" "<sys/" "<netdb.h>"
    "<arpa/" "<netinet/" "<poll.h>" "<dirent.h>" "sodium.h")
set(failures "")
foreach(room ${engines})
  file(GLOB_RECURSE files "${SRC}/${room}/*.hpp" "${SRC}/${room}/*.cpp")
  foreach(f ${files})
    file(STRINGS "${f}" includes REGEX "^#include")
    foreach(line ${includes})
      foreach(bad ${forbidden})
        string(FIND "${line}" "${bad}" pos)
        if(NOT pos EQUAL -1)
          list(APPEND failures "${f}: ${line}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(failures)
  string(REPLACE ";" "\n" msg "${failures}")
  message(FATAL_ERROR "engine rooms must not do I/O or include edge headers:\n${msg}")
endif()
message(STATUS "layer rule holds")
