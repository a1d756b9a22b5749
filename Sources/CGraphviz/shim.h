// The one header LineageRender sees of Graphviz. It includes the system's libgvc headers
// (Debian: libgraphviz-dev) and smooths ABI differences between Graphviz versions in static
// inline functions with a `lineage_` prefix, so Swift sees one stable signature.
#ifndef LINEAGE_CGRAPHVIZ_SHIM_H
#define LINEAGE_CGRAPHVIZ_SHIM_H

#include <stddef.h>
#include <gvc.h>
#include <cgraph.h>
#include <graphviz_version.h>
#include <pack.h>
#include <stdlib.h>
#include <string.h>

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

/// A new, empty directed graph (agopen takes a non-const name in the 2.x series).
static inline Agraph_t *_Nullable lineage_new_digraph(const char *name) {
    return agopen((char *)name, Agdirected, NULL);
}

/// A subgraph of `graph` named `name`, created when absent.
static inline Agraph_t *_Nullable lineage_subgraph(Agraph_t *graph, const char *name) {
    return agsubg(graph, (char *)name, 1);
}

/// An edge's tail and head (macros in the 2.x series, functions later).
static inline Agnode_t *lineage_edge_tail(Agedge_t *edge) { return agtail(edge); }
static inline Agnode_t *lineage_edge_head(Agedge_t *edge) { return aghead(edge); }

/// Lowers a laid-out graph's rendering resolution so that a bitmap of it stays within
/// `maximumPixels` on its longer side (cairo refuses larger surfaces, and Graphviz then scales
/// the picture down itself with a message printed straight to stderr).
static inline void lineage_fit_bitmap(Agraph_t *graph, double maximumPixels) {
    boxf box = GD_bb(graph);
    double width = box.UR.x - box.LL.x + 16;
    double height = box.UR.y - box.LL.y + 16;
    double largest = width > height ? width : height;
    double dpi = GD_drawing(graph)->dpi > 0 ? GD_drawing(graph)->dpi : 96.0;
    if (largest * dpi / 72.0 > maximumPixels) {
        GD_drawing(graph)->dpi = maximumPixels * 72.0 / largest;
    }
}

/// Writes the layout's coordinates into the graph's attributes (`pos`, `bb`, `lp`, `width`, ...).
static inline void lineage_attach_positions(Agraph_t *graph) {
    attach_attrs(graph);
}

/// Places `count` boxes (lower-left x, y, upper-right x, y, in points, four doubles each) in an
/// array, in input order, with `margin` points between them (pack.h's putRects), and writes the
/// offset to add to each box's coordinates into `offsets` (x, y pairs). Returns 0 on success.
static inline int lineage_pack_boxes(const double *boxes, int count, unsigned int margin, double *offsets) {
    if (count <= 0) return 0;
    boxf *rects = calloc((size_t)count, sizeof(boxf));
    if (!rects) return -1;
    for (int index = 0; index < count; index++) {
        rects[index].LL.x = boxes[4 * index];
        rects[index].LL.y = boxes[4 * index + 1];
        rects[index].UR.x = boxes[4 * index + 2];
        rects[index].UR.y = boxes[4 * index + 3];
    }
    pack_info info;
    memset(&info, 0, sizeof info);
    info.mode = l_array;
    info.margin = margin;
    info.flags = PK_INPUT_ORDER;
    point *placed = putRects(count, rects, &info);
    free(rects);
    if (!placed) return -1;
    for (int index = 0; index < count; index++) {
        offsets[2 * index] = placed[index].x;
        offsets[2 * index + 1] = placed[index].y;
    }
    free(placed);
    return 0;
}

#pragma clang assume_nonnull end

#endif
