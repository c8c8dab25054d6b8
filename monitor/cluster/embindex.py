"""Summed embeddings of the active clusters, as one matrix for a single matrix product."""
from __future__ import annotations

import numpy as np

from monitor.cluster.embed import DIMENSIONS


class EmbeddingIndex:
    """Rows of summed member embeddings; removed rows are zeroed and compacted later."""

    def __init__(self) -> None:
        self._matrix = np.zeros((64, DIMENSIONS), dtype=np.float32)
        self._ids: list[int | None] = []
        self._row: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._row)

    def add(self, cluster_id: int, vector: np.ndarray) -> None:
        row = self._row.get(cluster_id)
        if row is None:
            row = len(self._ids)
            if row == len(self._matrix):
                self._matrix = np.vstack([self._matrix, np.zeros_like(self._matrix)])
            self._ids.append(cluster_id)
            self._row[cluster_id] = row
        self._matrix[row] += vector

    def get(self, cluster_id: int) -> np.ndarray | None:
        row = self._row.get(cluster_id)
        return None if row is None else self._matrix[row]

    def remove(self, cluster_id: int) -> None:
        row = self._row.pop(cluster_id, None)
        if row is None:
            return
        self._matrix[row] = 0.0
        self._ids[row] = None
        if len(self._ids) > 256 and len(self._row) < len(self._ids) // 2:
            self._compact()

    def _compact(self) -> None:
        keep = [(i, r) for r, i in enumerate(self._ids) if i is not None]  # (cluster id, old row)
        matrix = np.zeros((max(64, len(keep) * 2), DIMENSIONS), dtype=np.float32)
        for new, (_, old) in enumerate(keep):
            matrix[new] = self._matrix[old]
        self._matrix = matrix
        self._ids = [i for i, _ in keep]
        self._row = {i: r for r, (i, _) in enumerate(keep)}

    def cosines(self, vector: np.ndarray, minimum: float) -> dict[int, float]:
        """Cluster id -> cosine with vector, for clusters at or above minimum."""
        n = len(self._ids)
        if n == 0:
            return {}
        matrix = self._matrix[:n]
        norms = np.linalg.norm(matrix, axis=1)
        norms[norms == 0] = np.inf
        scores = (matrix @ vector) / (norms * (float(np.linalg.norm(vector)) or 1.0))
        rows = np.nonzero(scores >= minimum)[0]
        return {cid: float(scores[r]) for r in rows if (cid := self._ids[r]) is not None}
