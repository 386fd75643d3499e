// Merges a Profile's stacks into one call tree (each path from the root is one node, however many stacks share
// it) and lays the tree out flat, in pre-order, as parallel arrays. This is the shape the HTML flame graph draws
// from: a page that holds 100k distinct stacks stays small and fast when shared prefixes are stored once and the
// browser walks plain number arrays instead of objects.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "native/aggregate/profile.h"

namespace hotframe {

// Node i is described by element i of every per-node array. Node 0 is a synthetic root standing for all samples.
// A node's subtree is the run of nodes after it with a greater depth, and siblings are ordered by name, then kind,
// so the same profile always gives the same picture.
struct FlameTree {
    // Distinct names, each stored once even when several kinds share it. The views point into the Profile the tree
    // was built from (index 0, the root's name, into the caller's root_name), which must outlive the tree.
    std::vector<std::string_view> names;
    // Per name: the full name it was shortened from (ProfileFrame::full_name), empty where there is none.
    std::vector<std::string_view> full_names;
    // Names that are not in the Profile as such: frames with a line, "Class.method:123" (frame_label). A deque,
    // so that the views in `names` stay valid as it grows and when the tree moves.
    std::deque<std::string> labels;

    // Distinct (name, kind) pairs that occur in the tree; frame 0 is the root's. Nodes refer to these, so that
    // a method seen under many callers costs one small number per node.
    std::vector<uint32_t> frame_name;  // into names
    std::vector<FrameKind> frame_kind;

    std::vector<uint32_t> node_frame;    // into frame_name / frame_kind
    std::vector<uint32_t> depth;         // root is 0
    std::vector<uint64_t> samples;       // samples whose stack passes through the node (the node and its callees)
    std::vector<uint64_t> self_samples;  // samples whose stack ends at the node
    std::vector<uint64_t> weight;        // as samples, summing ProfileStack::weight
    std::vector<uint64_t> self_weight;
    uint32_t max_depth = 0;

    size_t node_count() const { return node_frame.size(); }
    std::string_view name_of(size_t node) const { return names[frame_name[node_frame[node]]]; }
    FrameKind kind_of(size_t node) const { return frame_kind[node_frame[node]]; }
};

// Stacks with no samples are left out, since they would have no width; frame indices outside the profile's frame
// table are skipped rather than trusted.
FlameTree build_flame_tree(const Profile& profile, std::string_view root_name);

}  // namespace hotframe
