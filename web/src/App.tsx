// The agents' console. Its features arrive with the console issue; until then it says what it is.
export function App() {
  return (
    <main>
      <h1>Atende</h1>
      <p>Console de atendimento — em construção.</p>
    </main>
  );
}
