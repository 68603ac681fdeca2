" edsl scenario files
autocmd BufRead,BufNewFile *.edsl setfiletype edsl
