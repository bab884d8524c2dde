"""Internal: the tables and constants of the ``noise`` 1.2.2 C extension, as ``compat`` uses them.

Both backends of :mod:`wiktoria.noise.compat` read them: the numpy kernels
(:mod:`wiktoria.noise._compat_kernels`) and the numba kernels (:mod:`wiktoria.noise._compat_jit`,
which freezes them into its compiled code). Names keep their leading underscore: they are
compat's internals, not an API.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Largest float32, the C default of snoise2's ``repeatx``/``repeaty`` ("no tiling").
FLT_MAX: float = float(np.finfo(np.float32).max)

F32 = NDArray[np.float32]
I64 = NDArray[np.intp]
Result = float | NDArray[np.float64]
_f32 = np.float32
_u8 = np.uint8
_INT_MIN = -(2**31)
_INT_MAX = 2**31 - 1
_TWO31 = 2.0**31
_TWO62 = 2.0**62
_TWO24 = 2.0**24
# Below this coordinate magnitude no simplex intermediate can overflow to inf / NaN: the
# in-cell offsets stay below ~5e15 and their squares far below the float32 maximum.
_FINITE_BOUND = 1e15

# --------------------------------------------------------------------------------------------
# Tables.  noise's PERM is Ken Perlin's reference permutation written out twice (512 entries):
# PERM[n] == perm[n & 255] for every index noise can legally use, so all hashing is done here in
# uint8 arithmetic, which wraps modulo 256 for free.  GRAD3 includes noise's own rows 12-15.
# --------------------------------------------------------------------------------------------
_PERM = np.array(
    [
        151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225,
        140, 36, 103, 30, 69, 142, 8, 99, 37, 240, 21, 10, 23, 190, 6, 148,
        247, 120, 234, 75, 0, 26, 197, 62, 94, 252, 219, 203, 117, 35, 11, 32,
        57, 177, 33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171, 168, 68, 175,
        74, 165, 71, 134, 139, 48, 27, 166, 77, 146, 158, 231, 83, 111, 229, 122,
        60, 211, 133, 230, 220, 105, 92, 41, 55, 46, 245, 40, 244, 102, 143, 54,
        65, 25, 63, 161, 1, 216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169,
        200, 196, 135, 130, 116, 188, 159, 86, 164, 100, 109, 198, 173, 186, 3, 64,
        52, 217, 226, 250, 124, 123, 5, 202, 38, 147, 118, 126, 255, 82, 85, 212,
        207, 206, 59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213,
        119, 248, 152, 2, 44, 154, 163, 70, 221, 153, 101, 155, 167, 43, 172, 9,
        129, 22, 39, 253, 19, 98, 108, 110, 79, 113, 224, 232, 178, 185, 112, 104,
        218, 246, 97, 228, 251, 34, 242, 193, 238, 210, 144, 12, 191, 179, 162, 241,
        81, 51, 145, 235, 249, 14, 239, 107, 49, 192, 214, 31, 181, 199, 106, 157,
        184, 84, 204, 176, 115, 121, 50, 45, 127, 4, 150, 254, 138, 236, 205, 93,
        222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66, 215, 61, 156, 180,
    ],
    dtype=np.intp,
)  # fmt: skip

_GRAD3 = np.array(
    [
        (1, 1, 0), (-1, 1, 0), (1, -1, 0), (-1, -1, 0),
        (1, 0, 1), (-1, 0, 1), (1, 0, -1), (-1, 0, -1),
        (0, 1, 1), (0, -1, 1), (0, 1, -1), (0, -1, -1),
        (1, 0, -1), (-1, 0, -1), (0, -1, 1), (0, 1, 1),
    ],
    dtype=np.float32,
)  # fmt: skip


# GRAD4[g]: all permutations of (0, +-1, +-1, +-1) in Gustavson's order: the zero sits at
# component g >> 3, the other three components take the sign of bits 2, 1, 0 (set = minus).
def _grad4(g: int, c: int) -> float:
    zero = g >> 3
    if c == zero:
        return 0.0
    bit = 2 - (c - (c > zero))  # position of c among the three non-zero components
    return -1.0 if (g >> bit) & 1 else 1.0


_GRAD4 = np.array([[_grad4(g, c) for c in range(4)] for g in range(32)], dtype=np.float32)


def _table(values: NDArray[Any], dtype: type = np.float32) -> NDArray[Any]:
    out = np.ascontiguousarray(values, dtype=dtype)
    out.flags.writeable = False
    return out


_PERM8 = _table(_PERM, _u8)
# Gradient tables are indexed by the last (uint8) PERM index, fusing that lookup.
_P1_SLOPE = _table(np.where(_PERM & 8, -1.0, (_PERM & 7) + 1.0))  # grad1 slope of PERM[u]
_P2_G = tuple(_table(_GRAD3[_PERM[_PERM] & 15, c]) for c in range(2))  # PERM[PERM[A + j]]
_S3_G = tuple(_table(_GRAD3[_PERM % 12, c]) for c in range(3))  # PERM[...] % 12
_S4_G = tuple(_table(_GRAD4[_PERM & 31, c]) for c in range(4))  # PERM[...] & 31
# Two-level tables indexed by u * 256 + v (see _pair), fusing one more PERM lookup each.
_HI = np.repeat(np.arange(256), 256)
_LO = np.tile(np.arange(256), 256)
_PP = _table(_PERM[(_HI + _PERM[_LO]) & 255], _u8)  # PERM[u + PERM[v]]
_PP_HASH = _PERM[(_HI + _PERM[_LO]) & 255]
_P3_G2 = tuple(_table(_GRAD3[_PERM[(_PERM[_HI] + _LO) & 255] & 15, c]) for c in range(3))
_S2_G2 = tuple(_table(_GRAD3[_PP_HASH % 12, c]) for c in range(2))
del _HI, _LO, _PP_HASH

# float32 constants, exactly the values of the C literals / constant-folded expressions.
_C0 = _f32(0.0)
_C1 = _f32(1.0)
_C6 = _f32(6.0)
_C10 = _f32(10.0)
_C15 = _f32(15.0)
_C04 = _f32(0.4)
_C05 = _f32(0.5)
_C06 = _f32(0.6)
_F2 = _f32(0.3660254037844386)
_G2 = _f32(0.21132486540518713)
_G2X2 = _G2 * _f32(2.0)
_C70 = _f32(70.0)
_F3 = _f32(1.0) / _f32(3.0)
_G3 = _f32(1.0) / _f32(6.0)
_C32 = _f32(32.0)
_F4 = _f32(0.30901699437494745)
_G4 = _f32(0.1381966011250105)
_C27 = _f32(27.0)
_SIN_WRAP = _f32(25165824.0)
_SIN_Q = _f32(3.1)
_SIN_P = _f32(3.6)
_M_1_PI = 0.31830988618379067154  # the C double M_1_PI
# Per-corner offsets k*G of the simplex corners (k = 0 for the base corner).
_G3_CORNERS = np.array([_C0, _G3, _f32(2.0) * _G3, _f32(3.0) * _G3], dtype=np.float32)
_G4_CORNERS = np.array(
    [_C0, _G4, _f32(2.0) * _G4, _f32(3.0) * _G4, _f32(4.0) * _G4], dtype=np.float32
)
# Corner k of the 4-D simplex is offset by 1 along the axes whose rank is >= _RANK_LEVELS[k].
_RANK_LEVELS = np.array([4, 3, 2, 1, 0], dtype=_u8)
