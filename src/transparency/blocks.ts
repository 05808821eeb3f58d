/** The pieces a transparency record's field is written in: paragraphs, lists, links and tables. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'link'; readonly text: string; readonly href: string }
  | {
      readonly kind: 'table'
      readonly caption: string
      readonly head: readonly string[]
      readonly rows: readonly (readonly string[])[]
      /** Columns of numbers, aligned to the right. */
      readonly numeric: readonly number[]
    }
