// A search result's snippet: the API's parts as text, matches inside <mark>. Text only, never
// HTML from the server, so a document's content cannot inject markup into the results.
export interface SnippetPart {
  text: string;
  match: boolean;
}

export function SearchSnippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}
