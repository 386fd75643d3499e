#include "native/symbols/cpp_names.h"

#include <catch2/catch.hpp>

using namespace hotframe;

TEST_CASE("C++ names lose their parameter lists and nothing else", "[cpp_names]") {
    struct Case {
        const char* demangled;
        const char* expected;
    };
    const Case cases[] = {
        {"G1ParScanThreadState::trim_queue_to_threshold(unsigned int)",
         "G1ParScanThreadState::trim_queue_to_threshold"},
        {"Thread::call_run()", "Thread::call_run"},
        {"thread_native_entry(Thread*)", "thread_native_entry"},
        // Qualifiers after the parameter list.
        {"Monitor::wait(unsigned long) const", "Monitor::wait"},
        {"Foo::get() const &", "Foo::get"},
        {"Foo::take() &&", "Foo::take"},
        {"Foo::poll() const volatile", "Foo::poll"},
        {"Foo::is_const(int)", "Foo::is_const"},
        // Nested brackets inside the parameters.
        {"f(void (*)(int))", "f"},
        {"register_handler(int, void (*)(int, siginfo_t*, void*), bool)", "register_handler"},
        {"apply(std::function<void (int)> const&, int (&) [4])", "apply"},
        {"g((anonymous namespace)::Config const&)", "g"},
        // Template arguments and scopes stay.
        {"void OopOopIterateDispatch<G1CMOopClosure>::Table::oop_oop_iterate<InstanceKlass, "
         "narrowOop>(G1CMOopClosure*, "
         "oopDesc*, Klass*)",
         "void OopOopIterateDispatch<G1CMOopClosure>::Table::oop_oop_iterate<InstanceKlass, narrowOop>"},
        {"std::vector<int, std::allocator<int> >::push_back(int const&)",
         "std::vector<int, std::allocator<int> >::push_back"},
        {"(anonymous namespace)::Worker::run(char const*, unsigned int) const", "(anonymous namespace)::Worker::run"},
        // Operators whose names hold brackets.
        {"Foo::operator()(int) const", "Foo::operator()"},
        {"Foo::operator()()", "Foo::operator()"},
        {"operator<<(std::ostream&, Foo const&)", "operator<<"},
        {"Foo::operator<(Foo const&) const", "Foo::operator<"},
        {"Foo::operator->() const", "Foo::operator->"},
        {"Foo::operator&&(Foo const&)", "Foo::operator&&"},
        {"Foo::operator new(unsigned long)", "Foo::operator new"},
        // Lambdas: the closure and its enclosing function keep what names them.
        {"main::{lambda()#1}::operator()() const", "main::{lambda()#1}::operator()"},
        {"run(int)::{lambda(int, long)#2}::operator()(int, long) const", "run(int)::{lambda(int, long)#2}::operator()"},
        // ABI tags and GCC clone suffixes.
        {"Symbol::as_string[abi:cxx11]() const", "Symbol::as_string"},
        {"format(char const*, ...) [clone .constprop.0]", "format"},
        {"G1ParScanThreadState::trim_queue_to_threshold(unsigned int) [clone .part.0] [clone .cold]",
         "G1ParScanThreadState::trim_queue_to_threshold"},
        // Nothing to strip: C names, short names, pseudo-frames, unbalanced text.
        {"start_thread", "start_thread"},
        {"Foo::operator()", "Foo::operator()"},
        {"Foo::operator&", "Foo::operator&"},
        {"[jvm_generated_code]", "[jvm_generated_code]"},
        {"libc.so.6+0x1098eb", "libc.so.6+0x1098eb"},
        {"broken)", "broken)"},
        {"()", "()"},
        {"", ""},
    };
    for (const Case& c : cases) {
        INFO(c.demangled);
        CHECK(without_parameters(c.demangled) == c.expected);
        // Shortening twice changes nothing more.
        CHECK(without_parameters(without_parameters(c.demangled)) == c.expected);
    }
}
