/* A stand-in for bcryptprimitives.dll, which Wine 8 lacks and Rust's standard library (1.78
 * and later) imports for ProcessPrng (rust-lang/rust#121337). Built by .ci/run into the
 * throw-away Wine prefix only; it forwards to advapi32's RtlGenRandom (SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE p, SIZE_T n) {
    while (n) {
        ULONG k = n > 0x10000000 ? 0x10000000 : (ULONG)n;
        if (!SystemFunction036(p, k)) return FALSE;
        p += k;
        n -= k;
    }
    return TRUE;
}
