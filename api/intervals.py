"""How far a hidden count of one table can move, given the table's visible counts and equations.

A grid with its margins is a network (a transportation table): take a node per row and per column
and two more, S and T; an interior cell (a, b) is an arc from row a to column b, a row total an arc
from S to its row, a column total an arc from its column to T, and the grand total an arc from T
back to S. Every equation of the grid (a row, a column, the margins) is the conservation of flow at
one node, so the tables consistent with what is published are exactly the circulations that keep
every visible arc at its value and every hidden arc non-negative. A 1-D grid is the same with only
S and T (each cell an arc S→T, the total T→S).

A hidden arc e = (u → v) can grow by as much flow as can return from v to u through the other hidden
arcs (each may grow without limit, or shrink down to 0), and shrink by as much as can go from u to v.
The sum of the two is the width of its interval: exactly what a linear program over the table's
equations would find (network programs have integer optima), at the cost of two maximum flows.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence

from api.table import TOTAL, Key

Arc = tuple[int, int]

_SOURCE, _SINK = 0, 1


def grid_arcs(levels: Sequence[Sequence[str]]) -> dict[Key, Arc]:
    """The arc of every cell and margin of a 1-D or 2-D grid with these levels."""
    if len(levels) == 1:
        return {**{(value,): (_SOURCE, _SINK) for value in levels[0]}, (TOTAL,): (_SINK, _SOURCE)}
    if len(levels) != 2:
        return {}
    rows, columns = levels
    row_node = {a: 2 + i for i, a in enumerate(rows)}
    column_node = {b: 2 + len(rows) + j for j, b in enumerate(columns)}
    arcs: dict[Key, Arc] = {(a, b): (row_node[a], column_node[b]) for a in rows for b in columns}
    arcs |= {(a, TOTAL): (_SOURCE, row_node[a]) for a in rows}
    arcs |= {(TOTAL, b): (column_node[b], _SINK) for b in columns}
    arcs[(TOTAL, TOTAL)] = (_SINK, _SOURCE)
    return arcs


def line_arcs(members: Sequence[Key], margin: Key) -> dict[Key, Arc]:
    """The arcs of one line (members summing to a margin) alone: a 1-D grid."""
    return {**{key: (_SOURCE, _SINK) for key in members}, margin: (_SINK, _SOURCE)}


def widths(
    arcs: Mapping[Key, Arc],
    values: Mapping[Key, int],
    hidden: Iterable[Key],
    enough: int,
    only: Iterable[Key] | None = None,
) -> Iterator[tuple[Key, int]]:
    """The width of the interval of each hidden key that has an arc (of `only`, if given, in its order),
    capped at `enough`: enough to tell whether it reaches a requirement of at most `enough`."""
    members = [key for key in hidden if key in arcs]
    unlimited = enough + 1
    residual: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for key in members:
        tail, head = arcs[key]
        residual[tail][head] += unlimited  # a hidden count may grow...
        residual[head][tail] += values[key]  # ...or shrink to zero
    for key in members if only is None else [key for key in only if key in arcs]:
        tail, head = arcs[key]
        residual[tail][head] -= unlimited
        residual[head][tail] -= values[key]
        grow = _max_flow(residual, head, tail, unlimited)
        shrink = min(values[key], _max_flow(residual, tail, head, unlimited))
        residual[tail][head] += unlimited
        residual[head][tail] += values[key]
        yield key, min(grow + shrink, enough)


def _max_flow(capacity: dict[int, dict[int, int]], source: int, sink: int, limit: int) -> int:
    """Edmonds–Karp up to `limit` units on a copy of `capacity` (grids have a few dozen nodes, where
    this is ten times faster than building a sparse matrix for `scipy.sparse.csgraph.maximum_flow`)."""
    if source == sink:
        return limit
    residual = {node: dict(arcs) for node, arcs in capacity.items()}
    total = 0
    while total < limit:
        parent = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt, room in residual.get(node, {}).items():
                if room > 0 and nxt not in parent:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return total
        path, node = [], sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(limit - total, *(residual[a][b] for a, b in path))
        for a, b in path:
            residual[a][b] -= push
            residual.setdefault(b, {})[a] = residual.get(b, {}).get(a, 0) + push
        total += push
    return total
