#include "native/output/flame_tree.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "native/seeded_hash.h"

namespace hotframe {

namespace {

constexpr uint32_t kNone = UINT32_MAX;

struct TrieNode {
    uint32_t parent;
    uint32_t frame;  // index into Profile::frames; kNone for the root, which stands for all samples
    uint64_t samples = 0;
    uint64_t self_samples = 0;
    uint64_t weight = 0;
    uint64_t self_weight = 0;
};

// Finds a node's child by frame. A profile of 100k distinct stacks makes millions of nodes, and a node-based
// std::unordered_map spent seconds in cache misses on them; this open-addressing table of node indices keeps
// one probe sequence in one small array and compares against the nodes themselves.
class ChildIndex {
public:
    explicit ChildIndex(size_t expected_nodes) {
        while ((size_t{1} << bits_) < expected_nodes * 2) bits_++;
        slots_.assign(size_t{1} << bits_, kNone);
    }

    uint32_t find_or_add(std::vector<TrieNode>& nodes, uint32_t parent, uint32_t frame) {
        if ((nodes.size() + 1) * 2 > slots_.size()) grow(nodes);
        size_t slot = home(parent, frame);
        while (slots_[slot] != kNone) {
            const TrieNode& node = nodes[slots_[slot]];
            if (node.parent == parent && node.frame == frame) return slots_[slot];
            slot = (slot + 1) & (slots_.size() - 1);
        }
        slots_[slot] = static_cast<uint32_t>(nodes.size());
        nodes.push_back(TrieNode{parent, frame});
        return slots_[slot];
    }

private:
    size_t home(uint32_t parent, uint32_t frame) const {
        // Seeded (seeded_hash.h): with a fixed hash, a crafted profile's (parent, frame) pairs could all land in
        // one run of slots, and each insertion would then probe through all of them.
        uint64_t key = (uint64_t{parent} << 32) | frame;
        return static_cast<size_t>(seeded_mix(key) >> (64 - bits_));
    }

    void grow(const std::vector<TrieNode>& nodes) {
        bits_++;
        slots_.assign(size_t{1} << bits_, kNone);
        for (uint32_t n = 1; n < nodes.size(); n++) {
            size_t slot = home(nodes[n].parent, nodes[n].frame);
            while (slots_[slot] != kNone) slot = (slot + 1) & (slots_.size() - 1);
            slots_[slot] = n;
        }
    }

    unsigned bits_ = 10;
    std::vector<uint32_t> slots_;
};

// Nodes in insertion order, node 0 the root. A node is identified by its parent and its frame, so a method
// reached through the same callers in many stacks is one node.
std::vector<TrieNode> merge_stacks(const Profile& profile) {
    std::vector<TrieNode> nodes{TrieNode{0, kNone}};
    ChildIndex children(profile.stacks.size() * 4);
    for (const ProfileStack& stack : profile.stacks) {
        if (stack.samples == 0 && stack.weight == 0) continue;  // a diff's BEFORE-only stacks have weight only
        uint32_t current = 0;
        nodes[0].samples += stack.samples;
        nodes[0].weight += stack.weight;
        for (uint32_t frame : stack.frames) {
            if (frame >= profile.frames.size()) continue;
            current = children.find_or_add(nodes, current, frame);
            nodes[current].samples += stack.samples;
            nodes[current].weight += stack.weight;
        }
        nodes[current].self_samples += stack.samples;
        nodes[current].self_weight += stack.weight;
    }
    return nodes;
}

// Ranks frames by (name, kind) once, so sorting siblings compares integers instead of strings.
std::vector<uint32_t> rank_frames(const Profile& profile) {
    std::vector<uint32_t> order(profile.frames.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const ProfileFrame& fa = profile.frames[a];
        const ProfileFrame& fb = profile.frames[b];
        if (fa.name != fb.name) return fa.name < fb.name;
        if (fa.line != fb.line) return fa.line < fb.line;
        return fa.kind < fb.kind;
    });
    std::vector<uint32_t> rank(profile.frames.size());
    for (uint32_t i = 0; i < order.size(); i++) rank[order[i]] = i;
    return rank;
}

// Children of every node as one array sliced by offsets (first_child[n] .. first_child[n + 1]), sorted by rank.
struct ChildLists {
    std::vector<uint32_t> first_child;
    std::vector<uint32_t> children;
};

ChildLists list_children(const std::vector<TrieNode>& nodes, const std::vector<uint32_t>& rank) {
    ChildLists lists;
    lists.first_child.assign(nodes.size() + 1, 0);
    for (size_t n = 1; n < nodes.size(); n++) lists.first_child[nodes[n].parent + 1]++;
    std::partial_sum(lists.first_child.begin(), lists.first_child.end(), lists.first_child.begin());
    lists.children.resize(nodes.size() - 1);
    std::vector<uint32_t> fill(lists.first_child.begin(), lists.first_child.end() - 1);
    for (size_t n = 1; n < nodes.size(); n++) lists.children[fill[nodes[n].parent]++] = static_cast<uint32_t>(n);
    for (size_t n = 0; n < nodes.size(); n++) {
        auto begin = lists.children.begin() + lists.first_child[n];
        auto end = lists.children.begin() + lists.first_child[n + 1];
        std::sort(begin, end, [&](uint32_t a, uint32_t b) { return rank[nodes[a].frame] < rank[nodes[b].frame]; });
    }
    return lists;
}

// Gives each profile frame used by the tree a tree frame, and each distinct name one entry in the string table.
class FrameTable {
public:
    FrameTable(FlameTree& tree, const Profile& profile, std::string_view root_name)
        : tree_(tree), profile_(profile), tree_frame_(profile.frames.size(), kNone) {
        add(root_name, FrameKind::kPseudo, {});
    }

    uint32_t tree_frame(uint32_t profile_frame) {
        if (profile_frame == kNone) return 0;
        uint32_t& mapped = tree_frame_[profile_frame];
        if (mapped == kNone) {
            const ProfileFrame& frame = profile_.frames[profile_frame];
            std::string_view name = frame.name;
            if (frame.line > 0) name = tree_.labels.emplace_back(frame_label(frame));
            mapped = add(name, frame.kind, frame.full_name);
        }
        return mapped;
    }

private:
    uint32_t add(std::string_view name, FrameKind kind, std::string_view full_name) {
        auto [found, inserted] = name_ids_.try_emplace(name, static_cast<uint32_t>(tree_.names.size()));
        if (inserted) {
            tree_.names.push_back(name);
            tree_.full_names.push_back(full_name);
        } else if (tree_.full_names[found->second].empty()) {
            tree_.full_names[found->second] = full_name;  // the same name in another kind may carry it
        }
        tree_.frame_name.push_back(found->second);
        tree_.frame_kind.push_back(kind);
        return static_cast<uint32_t>(tree_.frame_name.size() - 1);
    }

    FlameTree& tree_;
    const Profile& profile_;
    std::vector<uint32_t> tree_frame_;  // by profile frame index
    std::unordered_map<std::string_view, uint32_t> name_ids_;
};

}  // namespace

FlameTree build_flame_tree(const Profile& profile, std::string_view root_name) {
    std::vector<TrieNode> nodes = merge_stacks(profile);
    ChildLists lists = list_children(nodes, rank_frames(profile));

    FlameTree tree;
    FrameTable frames(tree, profile, root_name);
    for (auto* column : {&tree.node_frame, &tree.depth}) column->reserve(nodes.size());
    for (auto* column : {&tree.samples, &tree.self_samples, &tree.weight, &tree.self_weight}) {
        column->reserve(nodes.size());
    }

    // Iterative depth-first walk: Java stacks can be thousands of frames deep, too deep to recurse safely.
    struct Pending {
        uint32_t node;
        uint32_t depth;
    };
    std::vector<Pending> pending{Pending{0, 0}};
    while (!pending.empty()) {
        Pending next = pending.back();
        pending.pop_back();
        const TrieNode& node = nodes[next.node];
        tree.node_frame.push_back(frames.tree_frame(node.frame));
        tree.depth.push_back(next.depth);
        tree.samples.push_back(node.samples);
        tree.self_samples.push_back(node.self_samples);
        tree.weight.push_back(node.weight);
        tree.self_weight.push_back(node.self_weight);
        tree.max_depth = std::max(tree.max_depth, next.depth);
        // Pushed in reverse so that the first child (by name) comes out first.
        for (uint32_t c = lists.first_child[next.node + 1]; c > lists.first_child[next.node]; c--) {
            pending.push_back(Pending{lists.children[c - 1], next.depth + 1});
        }
    }
    return tree;
}

}  // namespace hotframe
