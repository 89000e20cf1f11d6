/**
 * GitHub's page-based pagination: `per_page` (default 30, at most 100) and `page` (from 1), with a
 * `Link` header naming the `prev`, `next`, `first` and `last` pages, e.g.
 * `<https://api.github.com/repos/o/r/issues/1/comments?per_page=2&page=2>; rel="next"`
 * (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 */
export interface Page<T> {
  items: T[];
  /** The Link header, absent when everything fits on one page. */
  link?: string;
}

export function paginate<T>(items: readonly T[], requestUrl: URL, params: Record<string, unknown>): Page<T> {
  const perPage = Math.min(100, Math.max(1, Number(params.per_page ?? 30) || 30));
  const page = Math.max(1, Number(params.page ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (lastPage === 1) return { items: slice };
  const link = (n: number, rel: string) => {
    const url = new URL(requestUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, "prev"));
  if (page < lastPage) parts.push(link(page + 1, "next"), link(lastPage, "last"));
  if (page > 1) parts.push(link(1, "first"));
  return { items: slice, link: parts.join(", ") };
}
