from achilles.cli import main

main()
