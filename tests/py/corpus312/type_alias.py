type X = int
type ListOrSet[T] = list[T] | set[T]
type Pair[A, B] = tuple[A, B]
type Bounded[T: int] = list[T]
type Constrained[T: (int, str)] = T
type Variadic[*Ts] = tuple[*Ts]
type Spec[**P] = Callable[P, int]
type Mixed[T, *Ts, **P] = Callable[P, tuple[T, *Ts]]
type Recursive = list[Recursive] | int
type = 1
type(x)
type.attr = 2
