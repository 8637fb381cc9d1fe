/** Props of {@link ConfusionMatrix}: `matrix[true][predicted]`. */
export interface ConfusionMatrixProps {
  labels: string[];
  matrix: number[][];
  step?: number;
}

/**
 * A confusion matrix as a heat map (rows: true class, columns: predicted).
 * @example <ConfusionMatrix labels={['a', 'b']} matrix={[[5, 1], [2, 7]]} />
 */
export function ConfusionMatrix({ labels, matrix, step }: ConfusionMatrixProps) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <div class="card confusion">
      <h3>confusion matrix{step !== undefined ? ` at step ${step}` : ''} (rows: true, columns: predicted)</h3>
      <table class="heat">
        <tr><th />{labels.map((l) => <th key={l}>{l}</th>)}</tr>
        {matrix.map((row, i) => (
          <tr key={i}>
            <th>{labels[i]}</th>
            {row.map((v, j) => <td key={j} style={{ background: `rgba(38,128,194,${v / max})`, color: v / max > 0.5 ? '#fff' : '#000' }}>{v}</td>)}
          </tr>
        ))}
      </table>
    </div>
  );
}
