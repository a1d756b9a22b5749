// The one header LineageRender sees of Graphviz. It includes the system's libgvc headers
// (Debian: libgraphviz-dev) and smooths ABI differences between Graphviz versions in static
// inline functions with a `lineage_` prefix, so Swift sees one stable signature.
#ifndef LINEAGE_CGRAPHVIZ_SHIM_H
#define LINEAGE_CGRAPHVIZ_SHIM_H

#include <stddef.h>
#include <gvc.h>
#include <cgraph.h>
#include <graphviz_version.h>

#pragma clang assume_nonnull begin

/// gvRenderData with a size_t length. Graphviz 13.0 changed the length parameter from
/// `unsigned int *` to `size_t *`; the version header defines GRAPHVIZ_VERSION_MAJOR from 2.46 on.
static inline int lineage_render_data(GVC_t *gvc, Agraph_t *graph, const char *format,
                                      char *_Nullable *_Nonnull result, size_t *length) {
#if defined(GRAPHVIZ_VERSION_MAJOR) && GRAPHVIZ_VERSION_MAJOR >= 13
    return gvRenderData(gvc, graph, format, result, length);
#else
    unsigned int shortLength = 0;
    int status = gvRenderData(gvc, graph, format, result, &shortLength);
    *length = shortLength;
    return status;
#endif
}

/// Reads a graph from DOT text (NULL on a syntax error; aglasterr() says why).
static inline Agraph_t *_Nullable lineage_read_graph(const char *text) {
    return agmemread(text);
}

/// Keeps Graphviz's own messages out of stderr: only errors are kept, for aglasterr().
static inline void lineage_silence_messages(void) {
    agseterr(AGMAX);
}

#pragma clang assume_nonnull end

#endif
